// `migrate --status` and `migrate --logs`: what the store's migration state is, and what a run
// reported (its log and the audit events it wrote).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/migration/run_journal.hpp"
#include "stella/host/migration/work_session.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

inline constexpr const char* kMigrationStatusSchema = "migration-status.schema.json";
inline constexpr const char* kMigrationLogsSchema = "migration-logs.schema.json";

struct MigrationStatus {
  std::string database;
  /// nullopt when the database holds no evidence store.
  std::optional<std::string> schema_version;
  /// Who holds the migration lock; nullopt when nobody does.
  std::optional<std::string> lock_holder;
  /// The run shown: the unfinished one if any, else the one asked for, else the last.
  std::optional<RunRecord> run;
  /// True when `run` is unfinished and no process holds the migration lock: it was interrupted.
  bool interrupted = false;
  /// While a run is driven: what its work session does now, and who blocks it.
  std::optional<WorkSession> work_session;
};

/// Reads the status. `run_id` selects a run; otherwise the unfinished or else the last run. Throws
/// sdk::Error(invalid_input) when `run_id` names no run.
MigrationStatus read_migration_status(PgConnection& connection,
                                      const std::optional<std::int64_t>& run_id);
void write_migration_status_json(std::ostream& out, const MigrationStatus& status);
void write_migration_status_text(std::ostream& out, const MigrationStatus& status);

/// An audit event a run wrote.
struct RunAuditEvent {
  std::int64_t id = 0;
  std::string occurred_at;
  std::string event_type;
  std::string operator_name;
  /// The event's data as JSON text.
  std::string data_json;
};

struct MigrationLogs {
  std::optional<RunRecord> run;
  std::vector<RunLogLine> lines;
  std::vector<RunAuditEvent> audit_events;
};

/// The run's log and audit events (`run_id`, else the unfinished or last run).
MigrationLogs read_migration_logs(PgConnection& connection,
                                  const std::optional<std::int64_t>& run_id);
void write_migration_logs_json(std::ostream& out, const MigrationLogs& logs);
void write_migration_logs_text(std::ostream& out, const MigrationLogs& logs);

}  // namespace stella::host
