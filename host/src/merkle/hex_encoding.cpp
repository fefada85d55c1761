// to_hex / from_hex: the lower-case hex every digest string carries; leading_bytes_hex for
// messages.
#include <optional>
#include <string>

#include "merkle/quoted_excerpt.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr unsigned kBitsPerNibble = 4;
constexpr unsigned kNibbleMask = 0x0f;
constexpr unsigned kDecimalDigits = 10;

std::optional<std::uint8_t> nibble_value(char c) {
  if (c >= '0' && c <= '9') {
    return static_cast<std::uint8_t>(c - '0');
  }
  if (c >= 'a' && c <= 'f') {
    return static_cast<std::uint8_t>(c - 'a' + kDecimalDigits);
  }
  return std::nullopt;
}

}  // namespace

std::string to_hex(ByteView bytes) {
  std::string hex(bytes.size() * 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    hex[2 * i] = kHexDigits[bytes[i] >> kBitsPerNibble];
    hex[2 * i + 1] = kHexDigits[bytes[i] & kNibbleMask];
  }
  return hex;
}

std::string leading_bytes_hex(std::string_view bytes, std::size_t count) {
  std::string hex;
  for (std::size_t i = 0; i < bytes.size() && i < count; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    hex += (i == 0 ? "" : " ");
    hex += kHexDigits[byte >> kBitsPerNibble];
    hex += kHexDigits[byte & kNibbleMask];
  }
  return hex;
}

DigestBytes from_hex(std::string_view hex) {
  const std::string hint = "give lower-case hexadecimal digits 0-9 a-f, two per byte";
  if (hex.size() % 2 != 0) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "hex " + quoted_excerpt(hex) + " has an odd number of digits (" +
                         std::to_string(hex.size()) + "); expected two digits per byte",
                     hint);
  }
  DigestBytes bytes(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const auto value = nibble_value(hex[i]);
    if (!value) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "hex " + quoted_excerpt(hex) + " is not lower-case hex: found " +
                           quoted_excerpt(hex.substr(i, 1)) + " at offset " + std::to_string(i),
                       hint);
    }
    bytes[i / 2] = static_cast<std::uint8_t>((i % 2 == 0) ? (*value << kBitsPerNibble)
                                                          : (bytes[i / 2] | *value));
  }
  return bytes;
}

}  // namespace stella::host
