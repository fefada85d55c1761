// SHA3-224 through OpenSSL EVP, as the author guide's template computes it, with a hook through
// which a fixture feeds extra bytes first: the one defect of each broken reindexer.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "stella/sdk/sdk.hpp"

namespace stella::conformance_fixtures {

namespace sdk = stella::sdk;

inline constexpr std::size_t kSha3_224Bytes = 28;

class Sha3_224State final : public sdk::HashState {
 public:
  /// `prefix` is hashed before anything update() is given (empty for the honest digest).
  explicit Sha3_224State(const std::string& prefix) : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha3_224(), nullptr) != 1 ||
        EVP_DigestUpdate(context_.get(), prefix.data(), prefix.size()) != 1) {
      throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL could not start SHA3-224");
    }
  }
  void update(sdk::ByteView bytes) override {
    if (EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()) != 1) {
      throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL SHA3-224 update failed");
    }
  }
  sdk::DigestBytes finish() override {
    sdk::DigestBytes digest(kSha3_224Bytes);
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1) {
      throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL SHA3-224 final failed");
    }
    return digest;
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

}  // namespace stella::conformance_fixtures
