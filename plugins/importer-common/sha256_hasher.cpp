#include "sha256_hasher.hpp"

#include <openssl/evp.h>

#include "stella/sdk/error.hpp"

namespace stella_importer {
namespace {

[[noreturn]] void openssl_failed(const char* call) {
  throw stella::sdk::Error(stella::sdk::ErrorCode::internal,
                           std::string("SHA-256: OpenSSL ") + call + " failed",
                           "check the OpenSSL installation (openssl version)");
}

/// SHA-256 fetched once: an implicit fetch on every digest costs as much as hashing a few hundred
/// bytes, and importers hash a million small files.
const EVP_MD* sha256_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) {
    openssl_failed("EVP_MD_fetch(SHA256)");
  }
  return md;
}

}  // namespace

Sha256Digest sha256_digest(std::string_view bytes) {
  Sha256Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, sha256_md(), nullptr) != 1 ||
      length != digest.size()) {
    openssl_failed("EVP_Digest");
  }
  return digest;
}

std::string sha256_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  const Sha256Digest digest = sha256_digest(bytes);
  hex.reserve(2 * digest.size());
  for (const unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0x0f];
  }
  return hex;
}

}  // namespace stella_importer
