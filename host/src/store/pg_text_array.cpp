#include <string>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

std::string text_array_literal(std::span<const std::string> items) {
  std::string literal = "{";
  for (const std::string& item : items) {
    if (literal.size() > 1) {
      literal += ',';
    }
    literal += '"';
    for (const char c : item) {
      if (c == '"' || c == '\\') {
        literal += '\\';
      }
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

}  // namespace stella::host
