#include "stella/host/audit/operator_name.hpp"

#include <array>
#include <cstdio>

namespace stella::host {
namespace {

constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kDelete = 0x7f;

/// The length of the UTF-8 sequence starting at `at`, or 0 when it is not a valid one (overlong
/// forms, surrogates and code points past U+10FFFF included, as PostgreSQL refuses them).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  unsigned char min_second = 0x80;
  unsigned char max_second = 0xbf;
  if (lead < 0x80) {
    return 1;
  } else if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    min_second = lead == 0xe0 ? 0xa0 : 0x80;
    max_second = lead == 0xed ? 0x9f : 0xbf;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    min_second = lead == 0xf0 ? 0x90 : 0x80;
    max_second = lead == 0xf4 ? 0x8f : 0xbf;
  } else {
    return 0;
  }
  if (at + length > text.size() || byte(at + 1) < min_second || byte(at + 1) > max_second) {
    return 0;
  }
  for (std::size_t i = at + 2; i < at + length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) {
      return 0;
    }
  }
  return length;
}

}  // namespace

std::optional<std::string> operator_name_problem(std::string_view name) {
  if (name.empty()) {
    return std::string("it is empty");
  }
  if (name.size() > kMaxOperatorNameBytes) {
    return "it is " + std::to_string(name.size()) + " bytes long; at most " +
           std::to_string(kMaxOperatorNameBytes) + " are allowed";
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    if (byte < kFirstPrintable || byte == kDelete) {
      std::array<char, 8> code{};
      std::snprintf(code.data(), code.size(), "0x%02x", byte);
      return "it holds a control character (" + std::string(code.data()) + ") at byte " +
             std::to_string(i + 1);
    }
  }
  // The audit trail stores text: PostgreSQL refuses invalid UTF-8, after the command's work.
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t length = utf8_sequence_length(name, i);
    if (length == 0) {
      std::array<char, 8> code{};
      std::snprintf(code.data(), code.size(), "0x%02x", static_cast<unsigned char>(name[i]));
      return "it is not valid UTF-8 (byte " + std::string(code.data()) + " at byte " +
             std::to_string(i + 1) + ")";
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace stella::host
