// A value quoted for a POSIX shell, for the commands stella prints for an operator to paste.
#pragma once

#include <string>

namespace stella::host {

/// `value` in single quotes, each ' written as '\'' (the only character single quotes cannot hold).
inline std::string shell_quote(const std::string& value) {
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace stella::host
