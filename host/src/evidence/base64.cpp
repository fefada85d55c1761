// Base64 encoding and decoding.
#include "stella/host/evidence/base64.hpp"

#include <array>

namespace stella::host {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kPad = '=';
constexpr int kInvalid = -1;
constexpr std::size_t kGroupBytes = 3;
constexpr std::size_t kGroupChars = 4;
constexpr int kSextetBits = 6;
constexpr unsigned kSextetMask = 0x3f;
constexpr unsigned kByteMask = 0xff;

constexpr std::array<int, 256> decode_table() {
  std::array<int, 256> table{};
  for (int& entry : table) {
    entry = kInvalid;
  }
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  // The URL-safe alphabet (RFC 4648 §5) differs only in these two characters.
  table[static_cast<unsigned char>('-')] = 62;
  table[static_cast<unsigned char>('_')] = 63;
  return table;
}

constexpr std::array<int, 256> kDecode = decode_table();

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() + kGroupBytes - 1) / kGroupBytes * kGroupChars);
  std::size_t i = 0;
  for (; i + kGroupBytes <= bytes.size(); i += kGroupBytes) {
    const unsigned group = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
    text.push_back(kAlphabet[(group >> 18) & kSextetMask]);
    text.push_back(kAlphabet[(group >> 12) & kSextetMask]);
    text.push_back(kAlphabet[(group >> kSextetBits) & kSextetMask]);
    text.push_back(kAlphabet[group & kSextetMask]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned group = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) {
      group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    }
    text.push_back(kAlphabet[(group >> 18) & kSextetMask]);
    text.push_back(kAlphabet[(group >> 12) & kSextetMask]);
    text.push_back(rest == 2 ? kAlphabet[(group >> kSextetBits) & kSextetMask] : kPad);
    text.push_back(kPad);
  }
  return text;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % kGroupChars != 0) {
    return std::nullopt;
  }
  std::size_t padding = 0;
  if (!text.empty() && text.back() == kPad) {
    padding = text.size() >= 2 && text[text.size() - 2] == kPad ? 2 : 1;
  }
  std::string bytes;
  bytes.reserve(text.size() / kGroupChars * kGroupBytes);
  for (std::size_t i = 0; i < text.size(); i += kGroupChars) {
    const bool last = i + kGroupChars == text.size();
    unsigned group = 0;
    for (std::size_t j = 0; j < kGroupChars; ++j) {
      const char c = text[i + j];
      int value = kDecode[static_cast<unsigned char>(c)];
      if (c == kPad && last && j >= kGroupChars - padding) {
        value = 0;
      } else if (value == kInvalid) {
        return std::nullopt;
      }
      group = (group << kSextetBits) | static_cast<unsigned>(value);
    }
    bytes.push_back(static_cast<char>((group >> 16) & kByteMask));
    if (!(last && padding == 2)) {
      bytes.push_back(static_cast<char>((group >> 8) & kByteMask));
    }
    if (!(last && padding >= 1)) {
      bytes.push_back(static_cast<char>(group & kByteMask));
    }
  }
  return bytes;
}

}  // namespace stella::host
