#include "merkle/quoted_excerpt.hpp"

#include <cstdio>

namespace stella::host::merkle_detail {

namespace {
constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kDelete = 0x7f;
constexpr std::size_t kEscapeBufferSize = sizeof("\\xNN");
}  // namespace

std::string quoted_excerpt(std::string_view text) {
  const bool cut = text.size() > kMaxQuotedChars;
  const std::string_view shown = cut ? text.substr(0, kMaxQuotedChars) : text;
  std::string quoted = "'";
  for (const char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < kFirstPrintable || byte == kDelete) {
      char escape[kEscapeBufferSize];
      std::snprintf(escape, sizeof escape, "\\x%02x", byte);
      quoted += escape;
    } else {
      quoted += c;
    }
  }
  if (cut) {
    quoted += "...";
  }
  quoted += "'";
  return quoted;
}

}  // namespace stella::host::merkle_detail
