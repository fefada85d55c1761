// RFC 3339 UTC timestamps as bundles carry them ("2026-01-31T12:00:00.123456Z"), to and from
// microseconds since the Unix epoch — PostgreSQL's timestamptz precision, so that a bundle's
// seal time, and with it the Merkle order of bundles, survives an export and an import exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stella::host {

/// Microseconds since the Unix epoch of "YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z"; nullopt for anything
/// else (another offset, more than microsecond precision, an impossible date).
std::optional<std::int64_t> parse_rfc3339_utc_micros(std::string_view text);

/// `text` spelled as a store renders a timestamptz, with six fraction digits
/// ("2026-01-31T12:00:00.500000Z"), so that two spellings of one instant compare equal as text;
/// `text` itself when parse_rfc3339_utc_micros refuses it (it then equals no stored time).
std::string rfc3339_utc_as_stored(std::string_view text);

}  // namespace stella::host
