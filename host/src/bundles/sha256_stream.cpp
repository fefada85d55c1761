#include "bundles/sha256_stream.hpp"

#include <array>

#include <openssl/evp.h>

#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::size_t kSha256Bytes = 32;

[[noreturn]] void openssl_failed(const char* call) {
  throw sdk::Error(sdk::ErrorCode::internal, std::string("SHA-256: OpenSSL ") + call + " failed",
                   "check the OpenSSL installation (openssl version)");
}

}  // namespace

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) {
    openssl_failed("EVP_MD_CTX_new");
  }
  restart();
}

Sha256Stream::~Sha256Stream() {
  EVP_MD_CTX_free(ctx_);
}

void Sha256Stream::restart() {
  if (EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
    openssl_failed("EVP_DigestInit_ex");
  }
}

void Sha256Stream::update(std::string_view bytes) {
  if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) {
    openssl_failed("EVP_DigestUpdate");
  }
}

void Sha256Stream::field(std::string_view field) {
  update(field);
  update(std::string_view("\0", 1));
}

std::string Sha256Stream::finish_hex() {
  std::array<std::uint8_t, kSha256Bytes> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_, digest.data(), &length) != 1 || length != kSha256Bytes) {
    openssl_failed("EVP_DigestFinal_ex");
  }
  restart();
  return to_hex(ByteView(digest.data(), digest.size()));
}

std::string sha256_hex_of(std::string_view bytes) {
  Sha256Stream stream;
  stream.update(bytes);
  return stream.finish_hex();
}

}  // namespace stella::host
