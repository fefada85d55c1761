// SHA-256 through OpenSSL EVP, for file checksums (checksums.sha256) inside importer plugins.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace stella_importer {

/// An incremental SHA-256.
///
/// Ownership: move-only, owns its OpenSSL context. Thread-safety: one thread at a time.
/// Failure: throws stella::sdk::Error(internal) when OpenSSL fails.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void update(std::string_view bytes);
  /// Lower-case hex of the digest; the hasher starts over afterwards.
  std::string finish_hex();

 private:
  void restart();
  evp_md_ctx_st* ctx_ = nullptr;
};

/// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace stella_importer
