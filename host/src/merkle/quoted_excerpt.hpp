// Quoting user-supplied text in error messages without flooding the terminal.
#pragma once

#include <string>
#include <string_view>

namespace stella::host::merkle_detail {

/// Longest excerpt of user text quoted in a message; longer text is cut and ends with "...".
inline constexpr std::size_t kMaxQuotedChars = 80;

/// 'text' in single quotes, cut to kMaxQuotedChars, escaped as sdk::printable_text does.
std::string quoted_excerpt(std::string_view text);

}  // namespace stella::host::merkle_detail

namespace stella::host {
using merkle_detail::quoted_excerpt;
}
