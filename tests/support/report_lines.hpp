// Counting the lines of a text report: what a test checks when stored data tries to print a line
// of its own (a forged row, a forged verdict), where looking for the text alone would not tell an
// escaped value from a real line.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace stella::test {

/// How many lines of `text` start with `prefix` (every line, for an empty prefix).
inline int lines_starting_with(const std::string& text, std::string_view prefix = {}) {
  std::istringstream lines(text);
  int count = 0;
  for (std::string line; std::getline(lines, line);) {
    count += line.starts_with(prefix) ? 1 : 0;
  }
  return count;
}

}  // namespace stella::test
