// The hash that chains audit events: what goes into it, byte for byte (docs/audit-trail.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stella::host {

/// The prev_hash of the first event: "sha256:" followed by 64 zeros.
inline constexpr std::string_view kAuditGenesisHash =
    "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// The prefix every audit hash carries (the algorithm, as in every digest string of the tool).
inline constexpr std::string_view kAuditHashPrefix = "sha256:";

/// A PostgreSQL expression rendering the timestamptz expression `column` as the canonical
/// occurred_at text: UTC, always six fraction digits, e.g. "2026-12-04T20:22:37.123456Z".
/// timestamptz has microsecond resolution, so the text is lossless and parses back to the same
/// value.
std::string audit_occurred_at_sql(std::string_view column);

/// The fields of an event that its hash covers, each exactly as text.
struct AuditEventContent {
  std::int64_t id = 0;
  /// Canonical UTC time text (see audit_occurred_at_sql).
  std::string occurred_at;
  std::string event_type;
  std::string operator_name;
  /// "permanent" or "7y".
  std::string retention;
  /// The event's data as PostgreSQL renders jsonb as text (data::text): deterministic for a given
  /// jsonb value (keys sorted, no duplicate keys, one space after ':' and ',').
  std::string data;
};

/// "sha256:" + lower-hex SHA-256 of
///   prev_hash 0x00 id 0x00 occurred_at 0x00 event_type 0x00 operator 0x00 retention 0x00 data
/// (every field as its UTF-8 text; id in decimal). No field can contain a 0x00 byte (PostgreSQL
/// text cannot), so the encoding is unambiguous. Pure function; thread-safe.
std::string audit_event_hash(std::string_view prev_hash, const AuditEventContent& content);

}  // namespace stella::host
