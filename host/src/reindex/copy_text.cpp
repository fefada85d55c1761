// COPY text format (PostgreSQL documentation, "COPY", "Text Format").
#include "reindex/copy_text.hpp"

namespace stella::host {

void append_copy_field(std::string& row, std::string_view value, bool first_field) {
  if (!first_field) {
    row.push_back('\t');
  }
  for (const char c : value) {
    switch (c) {
      case '\\':
        row.append("\\\\");
        break;
      case '\t':
        row.append("\\t");
        break;
      case '\n':
        row.append("\\n");
        break;
      case '\r':
        row.append("\\r");
        break;
      default:
        row.push_back(c);
    }
  }
}

void append_copy_integer(std::string& row, long long value, bool first_field) {
  if (!first_field) {
    row.push_back('\t');
  }
  row.append(std::to_string(value));
}

void end_copy_row(std::string& row) {
  row.push_back('\n');
}

}  // namespace stella::host
