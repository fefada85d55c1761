// Timestamps leave the server as ISO 8601 UTC text with microseconds, the form every JSON output of
// the tool uses ("2026-01-31T12:00:00.000000Z").
#pragma once

#include <string>
#include <string_view>

namespace stella::host {

/// The SQL expression rendering the timestamptz expression `column` as ISO 8601 UTC text.
inline std::string iso_utc_sql(std::string_view column) {
  return "to_char((" + std::string(column) +
         ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
}

}  // namespace stella::host
