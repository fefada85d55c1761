// What an operator name may be. It is a column of every audit event and of every run record, and
// the text outputs (audit list, migrate --status) print it as it is: a line break in it would let
// whoever runs a command forge a line of what an auditor reads, and an empty one names nobody.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stella::host {

/// Longest operator name, in bytes.
inline constexpr std::size_t kMaxOperatorNameBytes = 128;

/// Why `name` cannot be an operator name (empty, longer than kMaxOperatorNameBytes, or holding a
/// control character such as a line break or tab, named by position); nullopt when it can.
std::optional<std::string> operator_name_problem(std::string_view name);

}  // namespace stella::host
