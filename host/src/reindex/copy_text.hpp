// Rows for COPY ... FROM STDIN in PostgreSQL's text format: fields separated by tabs, rows ended by
// newlines, backslash escapes for the characters that would otherwise end a field or a row.
#pragma once

#include <string>
#include <string_view>

namespace stella::host {

/// Appends `value` to `row` as one text-format field (escaping \, tab, newline and carriage
/// return), preceded by a tab unless it is the row's first field.
void append_copy_field(std::string& row, std::string_view value, bool first_field);

/// Appends the integer as a field, preceded by a tab unless it is the row's first field.
void append_copy_integer(std::string& row, long long value, bool first_field);

/// Ends the row.
void end_copy_row(std::string& row);

}  // namespace stella::host
