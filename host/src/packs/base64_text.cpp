#include "packs/base64_text.hpp"

#include <openssl/evp.h>

namespace stella::host {
namespace {

constexpr std::size_t kBytesPerGroup = 3;
constexpr std::size_t kCharsPerGroup = 4;

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string text(((bytes.size() + kBytesPerGroup - 1) / kBytesPerGroup) * kCharsPerGroup + 1,
                   '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(written));
  return text;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % kCharsPerGroup != 0) {
    return std::nullopt;
  }
  std::string bytes(text.size() / kCharsPerGroup * kBytesPerGroup, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) {
    return std::nullopt;
  }
  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  std::size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  bytes.resize(static_cast<std::size_t>(written) - padding);
  // Canonical only: re-encoding must give the same text (rejects stray characters and bits).
  if (base64_encode(bytes) != text) {
    return std::nullopt;
  }
  return bytes;
}

}  // namespace stella::host
