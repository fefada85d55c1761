// What an operator name may be. It is a column of every audit event and of every run record, and
// the text outputs (audit list, migrate --status) print it: a line break in it would let whoever
// runs a command forge a line of what an auditor reads, a bidirectional control would show another
// name than the one recorded, and an empty one names nobody. Refused at the command line, so that
// every name recorded reads the same everywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stella::host {

/// Longest operator name, in bytes.
inline constexpr std::size_t kMaxOperatorNameBytes = 128;

/// Why `name` cannot be an operator name (empty, longer than kMaxOperatorNameBytes, not UTF-8, or
/// holding a character a terminal acts on: a control character such as a line break, tab, DEL or
/// U+0085, a line or paragraph separator, a bidirectional control; named with its byte offset);
/// nullopt when it can.
std::optional<std::string> operator_name_problem(std::string_view name);

}  // namespace stella::host
