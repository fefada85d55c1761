#include "packs/bytes_sha256.hpp"

#include <array>

#include <openssl/evp.h>

#include "stella/sdk/error.hpp"

namespace stella::host {

std::string bytes_sha256(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL could not compute a SHA-256 digest",
                     "check the OpenSSL installation");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  constexpr unsigned kNibbleBits = 4;
  constexpr unsigned kNibbleMask = 0x0f;
  std::string text = "sha256:";
  for (unsigned int i = 0; i < size; ++i) {
    text += kHex[digest[i] >> kNibbleBits];
    text += kHex[digest[i] & kNibbleMask];
  }
  return text;
}

}  // namespace stella::host
