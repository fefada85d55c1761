// Reading and writing the migration state tables (schemas/sql/state/002_migration_runs.sql).
#include "stella/host/migration/run_journal.hpp"

#include <array>
#include <utility>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

#define ISO_UTC(column) \
  "to_char((" column ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

template <typename Enum, std::size_t N>
Enum parse_name(std::string_view text,
                const std::array<std::pair<Enum, std::string_view>, N>& names,
                std::string_view what) {
  for (const auto& [value, name] : names) {
    if (name == text) {
      return value;
    }
  }
  throw sdk::Error(sdk::ErrorCode::internal, "the runs table holds " + std::string(what) + " '" +
                                                 std::string(text) +
                                                 "', which this stella does not know");
}

template <typename Enum, std::size_t N>
std::string_view name_of(Enum value,
                         const std::array<std::pair<Enum, std::string_view>, N>& names) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) {
      return name;
    }
  }
  return "unknown";
}

constexpr std::array<std::pair<RunKind, std::string_view>, 2> kKinds{{
    {RunKind::migrate, "migrate"},
    {RunKind::rollback, "rollback"},
}};
constexpr std::array<std::pair<RunStatus, std::string_view>, 5> kStatuses{{
    {RunStatus::running, "running"},
    {RunStatus::rolling_back, "rolling_back"},
    {RunStatus::completed, "completed"},
    {RunStatus::rolled_back, "rolled_back"},
    {RunStatus::rollback_failed, "rollback_failed"},
}};
constexpr std::array<std::pair<StepDirection, std::string_view>, 2> kDirections{{
    {StepDirection::up, "up"},
    {StepDirection::down, "down"},
}};
constexpr std::array<std::pair<StepState, std::string_view>, 6> kStates{{
    {StepState::pending, "pending"},
    {StepState::running, "running"},
    {StepState::completed, "completed"},
    {StepState::failed, "failed"},
    {StepState::rolling_back, "rolling_back"},
    {StepState::rolled_back, "rolled_back"},
}};

constexpr const char* kRunColumns =
    "run_id, kind, rolls_back, from_version, to_version, status, operator, client_host, "
    "client_pid, backend_pid, batch_size, plan::text, store_before::text, store_after::text, "
    "reason, error, " ISO_UTC("started_at") ", " ISO_UTC("updated_at") ", " ISO_UTC(
        "finished_at") " FROM stella.migration_runs ";

std::optional<std::string> optional_value(const PgResult& result, int row, int column) {
  return result.get_optional(row, column);
}

std::optional<CheckpointRecord> checkpoint_from(const PgResult& result, int row, int column) {
  if (result.is_null(row, column)) {
    return std::nullopt;
  }
  return CheckpointRecord{std::string(result.get(row, column)), result.get_int64(row, column + 1),
                          std::string(result.get(row, column + 2))};
}

std::vector<RunStepRecord> read_steps(PgConnection& connection, std::int64_t run_id) {
  const PgResult rows = connection.exec(
      "SELECT s.ordinal, s.plugin_id, s.plugin_version, s.library_digest, s.from_version, "
      "s.to_version, s.direction, s.state, " ISO_UTC("s.started_at") ", "
      ISO_UTC("s.finished_at") ", s.error, u.checkpoint, u.batches, "
      ISO_UTC("u.committed_at") ", d.checkpoint, d.batches, " ISO_UTC("d.committed_at")
      " FROM stella.migration_run_steps s "
      "LEFT JOIN stella.migration_checkpoints u "
      "ON u.run_id = s.run_id AND u.ordinal = s.ordinal AND u.direction = 'up' "
      "LEFT JOIN stella.migration_checkpoints d "
      "ON d.run_id = s.run_id AND d.ordinal = s.ordinal AND d.direction = 'down' "
      "WHERE s.run_id = $1 ORDER BY s.ordinal",
      {std::to_string(run_id)});
  std::vector<RunStepRecord> steps;
  for (int r = 0; r < rows.rows(); ++r) {
    RunStepRecord step;
    step.ordinal = static_cast<int>(rows.get_int64(r, 0));
    step.plugin_id = rows.get(r, 1);
    step.plugin_version = rows.get(r, 2);
    step.library_digest = rows.get(r, 3);
    step.from_version = rows.get(r, 4);
    step.to_version = rows.get(r, 5);
    step.direction = parse_name(rows.get(r, 6), kDirections, "step direction");
    step.state = parse_name(rows.get(r, 7), kStates, "step state");
    step.started_at = optional_value(rows, r, 8);
    step.finished_at = optional_value(rows, r, 9);
    step.error = optional_value(rows, r, 10);
    step.up_checkpoint = checkpoint_from(rows, r, 11);
    step.down_checkpoint = checkpoint_from(rows, r, 14);
    steps.push_back(std::move(step));
  }
  return steps;
}

std::optional<RunRecord> read_one_run(PgConnection& connection, const std::string& where,
                                      const std::vector<sdk::SqlValue>& params) {
  const PgResult rows = connection.exec(std::string("SELECT ") + kRunColumns + where, params);
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  RunRecord run;
  run.run_id = rows.get_int64(0, 0);
  run.kind = parse_name(rows.get(0, 1), kKinds, "run kind");
  if (!rows.is_null(0, 2)) {
    run.rolls_back = rows.get_int64(0, 2);
  }
  run.from_version = rows.get(0, 3);
  run.to_version = rows.get(0, 4);
  run.status = parse_name(rows.get(0, 5), kStatuses, "run status");
  run.operator_name = rows.get(0, 6);
  run.client_host = rows.get(0, 7);
  run.client_pid = static_cast<int>(rows.get_int64(0, 8));
  run.backend_pid = static_cast<int>(rows.get_int64(0, 9));
  run.batch_size = rows.get_int64(0, 10);
  run.plan_json = rows.get(0, 11);
  run.store_before_json = rows.get(0, 12);
  run.store_after_json = optional_value(rows, 0, 13);
  run.reason = optional_value(rows, 0, 14);
  run.error = optional_value(rows, 0, 15);
  run.started_at = rows.get(0, 16);
  run.updated_at = rows.get(0, 17);
  run.finished_at = optional_value(rows, 0, 18);
  run.steps = read_steps(connection, run.run_id);
  return run;
}

sdk::SqlValue optional_param(const std::optional<std::string>& value) {
  return value ? sdk::SqlValue(*value) : std::nullopt;
}

}  // namespace

std::string_view run_kind_name(RunKind kind) {
  return name_of(kind, kKinds);
}
std::string_view run_status_name(RunStatus status) {
  return name_of(status, kStatuses);
}
std::string_view step_direction_name(StepDirection direction) {
  return name_of(direction, kDirections);
}
std::string_view step_state_name(StepState state) {
  return name_of(state, kStates);
}

bool is_unfinished(RunStatus status) {
  return status == RunStatus::running || status == RunStatus::rolling_back ||
         status == RunStatus::rollback_failed;
}

bool run_journal_exists(PgConnection& connection) {
  return connection.exec("SELECT to_regclass('stella.migration_runs') IS NOT NULL").get(0, 0) ==
         "t";
}

std::int64_t record_new_run(PgConnection& connection, const NewRun& run) {
  const PgResult inserted = connection.exec(
      "INSERT INTO stella.migration_runs (kind, rolls_back, from_version, to_version, status, "
      "operator, client_host, client_pid, backend_pid, batch_size, plan, store_before, reason) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13) "
      "RETURNING run_id",
      {std::string(run_kind_name(run.kind)),
       run.rolls_back ? sdk::SqlValue(std::to_string(*run.rolls_back)) : std::nullopt,
       run.from_version, run.to_version, std::string(run_status_name(run.status)),
       run.operator_name, run.client_host, std::to_string(run.client_pid),
       std::to_string(run.backend_pid), std::to_string(run.batch_size), run.plan_json,
       run.store_before_json, optional_param(run.reason)});
  const std::int64_t run_id = inserted.get_int64(0, 0);
  int ordinal = 0;
  for (const RunStepRecord& step : run.steps) {
    connection.exec(
        "INSERT INTO stella.migration_run_steps (run_id, ordinal, plugin_id, plugin_version, "
        "library_digest, from_version, to_version, direction, state) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')",
        {std::to_string(run_id), std::to_string(++ordinal), step.plugin_id, step.plugin_version,
         step.library_digest, step.from_version, step.to_version,
         std::string(step_direction_name(step.direction))});
  }
  return run_id;
}

void record_run_status(PgConnection& connection, std::int64_t run_id, RunStatus status,
                       const std::optional<std::string>& reason,
                       const std::optional<std::string>& error, bool finished,
                       const std::optional<std::string>& store_after_json) {
  connection.exec(
      "UPDATE stella.migration_runs SET status = $2, reason = coalesce($3, reason), "
      "error = coalesce($4, error), store_after = coalesce($5::jsonb, store_after), "
      "updated_at = clock_timestamp(), "
      "finished_at = CASE WHEN $6 THEN clock_timestamp() ELSE NULL END WHERE run_id = $1",
      {std::to_string(run_id), std::string(run_status_name(status)), optional_param(reason),
       optional_param(error), optional_param(store_after_json), finished ? "true" : "false"});
}

void record_run_undone(PgConnection& connection, std::int64_t run_id, std::string_view reason) {
  connection.exec(
      "UPDATE stella.migration_runs SET status = 'rolled_back', reason = $2, "
      "updated_at = clock_timestamp() WHERE run_id = $1",
      {std::to_string(run_id), std::string(reason)});
}

void record_step_state(PgConnection& connection, std::int64_t run_id, int ordinal, StepState state,
                       const std::optional<std::string>& error) {
  const bool finished = state == StepState::completed || state == StepState::failed ||
                        state == StepState::rolled_back;
  connection.exec(
      "UPDATE stella.migration_run_steps SET state = $3, "
      "started_at = coalesce(started_at, clock_timestamp()), "
      "finished_at = CASE WHEN $4 THEN clock_timestamp() ELSE NULL END, "
      "error = coalesce($5, error) WHERE run_id = $1 AND ordinal = $2",
      {std::to_string(run_id), std::to_string(ordinal), std::string(step_state_name(state)),
       finished ? "true" : "false", optional_param(error)});
  connection.exec(
      "UPDATE stella.migration_runs SET updated_at = clock_timestamp() WHERE run_id = $1",
      {std::to_string(run_id)});
}

void record_checkpoint(PgConnection& connection, std::int64_t run_id, int ordinal,
                       StepDirection direction, std::string_view checkpoint, std::int64_t batches) {
  connection.exec(
      "INSERT INTO stella.migration_checkpoints (run_id, ordinal, direction, checkpoint, batches) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (run_id, ordinal, direction) DO UPDATE SET "
      "checkpoint = EXCLUDED.checkpoint, batches = EXCLUDED.batches, "
      "committed_at = clock_timestamp()",
      {std::to_string(run_id), std::to_string(ordinal), std::string(step_direction_name(direction)),
       std::string(checkpoint), std::to_string(batches)});
}

std::optional<CheckpointRecord> read_checkpoint(PgConnection& connection, std::int64_t run_id,
                                                int ordinal, StepDirection direction) {
  const PgResult rows = connection.exec(
      "SELECT checkpoint, batches, " ISO_UTC("committed_at") " FROM stella.migration_checkpoints "
      "WHERE run_id = $1 AND ordinal = $2 AND direction = $3",
      {std::to_string(run_id), std::to_string(ordinal),
       std::string(step_direction_name(direction))});
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  return checkpoint_from(rows, 0, 0);
}

void record_run_driver(PgConnection& connection, std::int64_t run_id, std::string_view host,
                       int client_pid, int backend_pid, std::int64_t batch_size) {
  connection.exec(
      "UPDATE stella.migration_runs SET client_host = $2, client_pid = $3, backend_pid = $4, "
      "batch_size = $5, updated_at = clock_timestamp() WHERE run_id = $1",
      {std::to_string(run_id), std::string(host), std::to_string(client_pid),
       std::to_string(backend_pid), std::to_string(batch_size)});
}

void log_run_line(PgConnection& connection, std::int64_t run_id, std::optional<int> ordinal,
                  std::string_view level, std::string_view message) {
  connection.exec(
      "INSERT INTO stella.migration_run_log (run_id, level, step_ordinal, message) "
      "VALUES ($1, $2, $3, $4)",
      {std::to_string(run_id), std::string(level),
       ordinal ? sdk::SqlValue(std::to_string(*ordinal)) : std::nullopt, std::string(message)});
}

std::optional<RunRecord> read_unfinished_run(PgConnection& connection) {
  return read_one_run(connection,
                      "WHERE status IN ('running', 'rolling_back', 'rollback_failed') "
                      "ORDER BY run_id DESC LIMIT 1",
                      {});
}

std::optional<RunRecord> read_last_run(PgConnection& connection) {
  return read_one_run(connection, "ORDER BY run_id DESC LIMIT 1", {});
}

std::optional<RunRecord> read_run(PgConnection& connection, std::int64_t run_id) {
  return read_one_run(connection, "WHERE run_id = $1", {std::to_string(run_id)});
}

std::optional<RunRecord> read_last_completed_migration(PgConnection& connection,
                                                       std::string_view to_version) {
  return read_one_run(connection,
                      "WHERE kind = 'migrate' AND status = 'completed' AND to_version = $1 "
                      "ORDER BY run_id DESC LIMIT 1",
                      {std::string(to_version)});
}

std::vector<RunLogLine> read_run_log(PgConnection& connection, std::int64_t run_id) {
  const PgResult rows = connection.exec(
      "SELECT " ISO_UTC("logged_at") ", level, step_ordinal, message FROM "
                                     "stella.migration_run_log WHERE run_id = $1 ORDER BY entry_id",
      {std::to_string(run_id)});
  std::vector<RunLogLine> lines;
  for (int r = 0; r < rows.rows(); ++r) {
    RunLogLine line;
    line.logged_at = rows.get(r, 0);
    line.level = rows.get(r, 1);
    if (!rows.is_null(r, 2)) {
      line.step_ordinal = static_cast<int>(rows.get_int64(r, 2));
    }
    line.message = rows.get(r, 3);
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace stella::host
