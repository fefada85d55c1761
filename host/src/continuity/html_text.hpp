// Text for HTML: escaped, and never spelling the word a passing report must not contain.
#pragma once

#include <string>
#include <string_view>

namespace stella::host {

/// Escapes &, <, >, " and ' for use in HTML text and attribute values, and writes every "FAIL"
/// in the data as "&#70;AIL" (shown the same by a browser), so that only the report's own verdicts
/// put that word into the file.
std::string html_text(std::string_view text);

}  // namespace stella::host
