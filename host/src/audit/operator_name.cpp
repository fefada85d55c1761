#include "stella/host/audit/operator_name.hpp"

#include <array>
#include <cstdio>

namespace stella::host {
namespace {

constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kDelete = 0x7f;

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
  return std::nullopt;
}

}  // namespace stella::host
