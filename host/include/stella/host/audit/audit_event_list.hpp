// Reading audit events back, filtered, oldest first.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// One stored event, every field as text (data as PostgreSQL renders the jsonb).
struct AuditEvent {
  std::int64_t id = 0;
  /// Canonical UTC time, e.g. "2026-12-04T20:22:37.123456Z".
  std::string occurred_at;
  std::string event_type;
  std::string operator_name;
  std::string retention;
  std::string data;
  std::string prev_hash;
  std::string hash;
};

struct AuditEventFilter {
  /// Only events at or after this time (text PostgreSQL accepts as timestamptz, e.g. from
  /// parse_date_argument).
  std::optional<std::string> since;
  /// Only events of this type.
  std::optional<std::string> event_type;
  /// Only the `limit` most recent matching events (still delivered oldest first).
  std::optional<std::int64_t> limit;
};

/// Calls `on_event` for each matching event in id order. Streams through a server-side cursor.
/// Uses the caller's transaction when one is open, otherwise a read-only REPEATABLE READ one.
/// Returns the number of events delivered. Throws sdk::Error(refused) when the store has no audit
/// trail.
std::int64_t for_each_audit_event(PgConnection& connection, const AuditEventFilter& filter,
                                  const std::function<void(const AuditEvent&)>& on_event);

}  // namespace stella::host
