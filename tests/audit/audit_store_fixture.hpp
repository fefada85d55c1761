// A scratch database with the tool's state schema, and helpers to write and damage its audit
// trail the way the tests need.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "stella/host/store/pg_connection.hpp"
#include "support/scratch_database.hpp"

namespace stella::test {

/// The operator name the tests record events under.
inline constexpr const char* kTestOperator = "auditor";

/// The auditor's recomputation of every hash in plain SQL, exactly as docs/audit-trail.md gives
/// it: one row, (events whose hash it reproduces, events).
inline constexpr const char* kRecomputeHashesSql = R"SQL(
SELECT count(*) FILTER (WHERE hash = 'sha256:' || encode(sha256(
         convert_to(prev_hash, 'UTF8') || '\x00'::bytea ||
         convert_to(id::text, 'UTF8') || '\x00'::bytea ||
         convert_to(to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    'UTF8') || '\x00'::bytea ||
         convert_to(event_type, 'UTF8') || '\x00'::bytea ||
         convert_to(operator, 'UTF8') || '\x00'::bytea ||
         convert_to(retention, 'UTF8') || '\x00'::bytea ||
         convert_to(data::text, 'UTF8')), 'hex')) AS reproduced,
       count(*) AS events
FROM stella.audit_events;
)SQL";

/// The auditor's link check of docs/audit-trail.md: the ids of events that do not chain to the
/// event (or tombstone) before them.
inline constexpr const char* kBrokenLinksSql =
    "SELECT id FROM stella.audit_events e WHERE prev_hash <> coalesce((SELECT "
    "hash FROM stella.audit_events p WHERE p.id = e.id - 1), (SELECT hash FROM stella.audit_pruned "
    "t WHERE t.id = e.id - 1), 'sha256:' || repeat('0', 64))";

/// Valid data for every type the runbook names (and a free-form one for other types).
std::string sample_audit_data(std::string_view type);

/// The five runbook types, then the tool's own types the tests also write.
const std::vector<std::string>& every_audit_type();

/// A fresh database with ensure_state_schema applied, and a connection to it.
class AuditStore {
 public:
  AuditStore();

  host::PgConnection& connection() { return *connection_; }
  const std::string& conninfo() const { return database_.conninfo(); }

  /// Appends one event in its own committed transaction; returns its id.
  std::int64_t append(std::string_view type, const std::string& data,
                      std::string_view operator_name = kTestOperator);
  /// The same with a fixed occurred_at (append_audit_event_at, the testing-only override).
  std::int64_t append_at(std::string_view type, const std::string& data,
                         std::string_view occurred_at);

  /// Runs `sql` with the append-only triggers disabled, as someone with direct database access
  /// would to tamper with the trail.
  void tamper(const std::string& sql);

  /// The single value `sql` returns, as text ("" for NULL).
  std::string scalar(const std::string& sql);
  std::int64_t count(const std::string& sql) { return std::stoll(scalar(sql)); }

 private:
  ScratchDatabase database_;
  std::unique_ptr<host::PgConnection> connection_;
};

}  // namespace stella::test
