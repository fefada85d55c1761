// Suggestions for mistyped verbs and flags.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stella::host {

/// Levenshtein distance between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `typed`, when it is close enough to be a plausible typo (distance at
/// most a third of the longer string, and at least 1 edit allowed; ASCII case ignored, so a
/// candidate that differs only in case is always suggested); nullopt otherwise.
std::optional<std::string> closest_match(std::string_view typed,
                                         const std::vector<std::string>& candidates);

}  // namespace stella::host
