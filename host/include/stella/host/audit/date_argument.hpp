// Dates and times given on the command line (--since, --before).
#pragma once

#include <string>
#include <string_view>

namespace stella::host {

/// Accepts a calendar date "YYYY-MM-DD" (midnight UTC) or an RFC 3339 time
/// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" and returns it as RFC 3339 text PostgreSQL
/// parses as timestamptz independently of the session time zone ("2024-01-31T00:00:00Z").
/// `flag` names the option in the error ("--since").
/// Throws sdk::Error(invalid_input) with an example of each accepted form when `text` is neither,
/// or names a day, hour, minute or second that does not exist.
std::string parse_date_argument(std::string_view text, std::string_view flag);

}  // namespace stella::host
