#include "audit/sha256_hex.hpp"

#include <openssl/evp.h>

#include <array>

#include "stella/sdk/error.hpp"

namespace stella::host {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &digest_size, EVP_sha256(), nullptr) !=
      1) {
    throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL could not compute a SHA-256 digest");
  }
  constexpr std::string_view kHexDigits = "0123456789abcdef";
  constexpr unsigned kNibbleBits = 4;
  constexpr unsigned kNibbleMask = 0x0f;
  std::string hex;
  hex.reserve(std::size_t{digest_size} * 2);
  for (unsigned int i = 0; i < digest_size; ++i) {
    hex += kHexDigits[digest[i] >> kNibbleBits];
    hex += kHexDigits[digest[i] & kNibbleMask];
  }
  return hex;
}

}  // namespace stella::host
