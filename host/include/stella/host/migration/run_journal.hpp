// The migration runs as the tool's state schema records them (schemas/sql/state/
// 002_migration_runs.sql): runs, their steps, batch checkpoints and the run log.
//
// Writers run inside the caller's transaction (so a step's state and checkpoint commit with the
// work they describe), except log_run_line, which the executor calls on the connection that holds
// the migration lock, outside any step transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Zero is not a valid value of any of these enums.
enum class RunKind { migrate = 1, rollback = 2 };
enum class RunStatus {
  running = 1,
  rolling_back = 2,
  completed = 3,
  rolled_back = 4,
  rollback_failed = 5
};
enum class StepDirection { up = 1, down = 2 };
enum class StepState {
  pending = 1,
  running = 2,
  completed = 3,
  failed = 4,
  rolling_back = 5,
  rolled_back = 6,
};

std::string_view run_kind_name(RunKind kind);
std::string_view run_status_name(RunStatus status);
std::string_view step_direction_name(StepDirection direction);
std::string_view step_state_name(StepState state);
/// True for running, rolling_back and rollback_failed: the run must be resumed or rolled back
/// before another may start.
bool is_unfinished(RunStatus status);

struct CheckpointRecord {
  std::string checkpoint;
  /// Batches committed so far in this direction.
  std::int64_t batches = 0;
  /// ISO 8601 UTC.
  std::string committed_at;
};

struct RunStepRecord {
  int ordinal = 0;
  std::string plugin_id;
  std::string plugin_version;
  std::string library_digest;
  std::string from_version;
  std::string to_version;
  StepDirection direction = StepDirection::up;
  StepState state = StepState::pending;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
  std::optional<std::string> error;
  std::optional<CheckpointRecord> up_checkpoint;
  std::optional<CheckpointRecord> down_checkpoint;
};

struct RunRecord {
  std::int64_t run_id = 0;
  RunKind kind = RunKind::migrate;
  std::optional<std::int64_t> rolls_back;
  std::string from_version;
  std::string to_version;
  RunStatus status = RunStatus::running;
  std::string operator_name;
  std::string client_host;
  int client_pid = 0;
  int backend_pid = 0;
  std::int64_t batch_size = 0;
  /// JSON texts (migration-plan.schema.json; StoreState objects as in the plan's "store").
  std::string plan_json;
  std::string store_before_json;
  std::optional<std::string> store_after_json;
  std::optional<std::string> reason;
  std::optional<std::string> error;
  /// ISO 8601 UTC.
  std::string started_at;
  std::string updated_at;
  std::optional<std::string> finished_at;
  std::vector<RunStepRecord> steps;
};

/// A run about to be recorded.
struct NewRun {
  RunKind kind = RunKind::migrate;
  std::optional<std::int64_t> rolls_back;
  std::string from_version;
  std::string to_version;
  RunStatus status = RunStatus::running;
  std::string operator_name;
  std::string client_host;
  int client_pid = 0;
  int backend_pid = 0;
  std::int64_t batch_size = 0;
  std::string plan_json;
  std::string store_before_json;
  /// Why the run was started, when an operator gave a reason (a rollback's --reason).
  std::optional<std::string> reason;
  /// Steps in the order they run; their state starts as pending.
  std::vector<RunStepRecord> steps;
};

/// True when the state schema has the migration tables (002_migration_runs.sql was applied).
bool run_journal_exists(PgConnection& connection);

/// Records the run and its steps; returns the run id.
std::int64_t record_new_run(PgConnection& connection, const NewRun& run);

/// Sets the run's status (and updated_at). reason/error/store_after are set when given; finished
/// marks finished_at now.
void record_run_status(PgConnection& connection, std::int64_t run_id, RunStatus status,
                       const std::optional<std::string>& reason,
                       const std::optional<std::string>& error, bool finished,
                       const std::optional<std::string>& store_after_json = std::nullopt);

/// Marks a completed migration as rolled back by a later rollback run (its finish time stays).
void record_run_undone(PgConnection& connection, std::int64_t run_id, std::string_view reason);

/// Sets a step's state; started_at is set the first time it leaves pending, finished_at when it
/// reaches completed, failed or rolled_back.
void record_step_state(PgConnection& connection, std::int64_t run_id, int ordinal, StepState state,
                       const std::optional<std::string>& error = std::nullopt);

/// Stores the step's latest checkpoint for `direction` (replacing the previous one).
void record_checkpoint(PgConnection& connection, std::int64_t run_id, int ordinal,
                       StepDirection direction, std::string_view checkpoint, std::int64_t batches);

/// The step's latest checkpoint for `direction`, if any batch was committed.
std::optional<CheckpointRecord> read_checkpoint(PgConnection& connection, std::int64_t run_id,
                                                int ordinal, StepDirection direction);

/// Records who drives the run now (a resumed run is taken over by the resuming process) and the
/// batch size it goes on with (--batch-size replaces the run's).
void record_run_driver(PgConnection& connection, std::int64_t run_id, std::string_view host,
                       int client_pid, int backend_pid, std::int64_t batch_size);

/// Appends a line to the run log (autocommit when no transaction is open).
void log_run_line(PgConnection& connection, std::int64_t run_id, std::optional<int> ordinal,
                  std::string_view level, std::string_view message);

/// The unfinished run (at most one exists), with its steps.
std::optional<RunRecord> read_unfinished_run(PgConnection& connection);
/// The most recent run, with its steps.
std::optional<RunRecord> read_last_run(PgConnection& connection);
/// A run by id, with its steps.
std::optional<RunRecord> read_run(PgConnection& connection, std::int64_t run_id);
/// The most recent migration (kind migrate) that completed and leads to `to_version`, not since
/// rolled back.
std::optional<RunRecord> read_last_completed_migration(PgConnection& connection,
                                                       std::string_view to_version);

/// One line of a run's log.
struct RunLogLine {
  std::string logged_at;
  std::string level;
  std::optional<int> step_ordinal;
  std::string message;
};
std::vector<RunLogLine> read_run_log(PgConnection& connection, std::int64_t run_id);

}  // namespace stella::host
