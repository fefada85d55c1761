// Incremental SHA-256 for the bundle module: checksum lines, manifest and archive digests, and the
// fingerprints an import compares between its verifying and its loading pass.
#pragma once

#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace stella::host {

/// Ownership: move-only, owns its OpenSSL context. Thread-safety: one thread.
/// Failure: throws sdk::Error(internal) when OpenSSL fails.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void update(std::string_view bytes);
  /// Feeds `field` and a 0x00 separator, so that ("ab","c") and ("a","bc") differ.
  void field(std::string_view field);
  /// Lower-case hex of the digest; the stream starts over afterwards.
  std::string finish_hex();

 private:
  void restart();
  evp_md_ctx_st* ctx_ = nullptr;
};

/// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex_of(std::string_view bytes);

}  // namespace stella::host
