#include "stella/host/audit/operator_name.hpp"

#include <array>
#include <cstdio>

#include "stella/sdk/printable_text.hpp"

namespace stella::host {
namespace {

/// "0x0a": a byte as a person finds it in a hex dump.
std::string byte_name(unsigned char byte) {
  std::array<char, 8> name{};
  std::snprintf(name.data(), name.size(), "0x%02x", byte);
  return name.data();
}

/// A character below U+0080 by its byte, the others as the Unicode charts name them ("U+2028").
std::string code_point_name(char32_t code_point) {
  if (code_point < 0x80) {
    return byte_name(static_cast<unsigned char>(code_point));
  }
  std::array<char, 12> name{};
  std::snprintf(name.data(), name.size(), "U+%04X", static_cast<unsigned>(code_point));
  return name.data();
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
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t length = sdk::utf8_sequence_length(name, i);
    // The audit trail stores text: PostgreSQL refuses invalid UTF-8, after the command's work.
    if (length == 0) {
      return "it is not valid UTF-8 (byte " + byte_name(static_cast<unsigned char>(name[i])) +
             " at byte " + std::to_string(i + 1) + ")";
    }
    const char32_t code_point = sdk::utf8_code_point(name.substr(i, length));
    if (const auto kind = sdk::unprintable_kind(code_point)) {
      return "it holds a " + std::string(*kind) + " (" + code_point_name(code_point) +
             ") at byte " + std::to_string(i + 1);
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace stella::host
