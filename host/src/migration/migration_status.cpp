// `migrate --status`: the store's version, the migration lock, and the run that matters now.
#include "stella/host/migration/migration_status.hpp"

#include <cctype>
#include <ostream>

#include "stella/host/evidence/store_version.hpp"
#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/migration/migration_lock.hpp"
#include "stella/host/migration/unfinished_run.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

rapidjson::Value optional_text(const std::optional<std::string>& value, Allocator& allocator) {
  return value ? text(*value, allocator) : rapidjson::Value(rapidjson::kNullType);
}

void add(rapidjson::Value& object, const char* key, rapidjson::Value value, Allocator& allocator) {
  object.AddMember(rapidjson::StringRef(key), value, allocator);
}

/// The global root recorded in a run's store state JSON, or nullopt.
std::optional<std::string> global_root_of(const std::optional<std::string>& state_json) {
  if (!state_json) {
    return std::nullopt;
  }
  const rapidjson::Document state = parse_json(*state_json, "a run's store state");
  if (!state.IsObject() || !state.HasMember("globalRoot") || !state["globalRoot"].IsString()) {
    return std::nullopt;
  }
  return std::string(state["globalRoot"].GetString());
}

rapidjson::Value checkpoint_json(const std::optional<CheckpointRecord>& checkpoint,
                                 Allocator& allocator) {
  if (!checkpoint) {
    return rapidjson::Value(rapidjson::kNullType);
  }
  rapidjson::Value object(rapidjson::kObjectType);
  add(object, "checkpoint", text(checkpoint->checkpoint, allocator), allocator);
  add(object, "batches", rapidjson::Value(static_cast<std::int64_t>(checkpoint->batches)),
      allocator);
  add(object, "committedAt", text(checkpoint->committed_at, allocator), allocator);
  return object;
}

rapidjson::Value run_json(const RunRecord& run, bool interrupted, Allocator& allocator) {
  rapidjson::Value object(rapidjson::kObjectType);
  add(object, "runId", rapidjson::Value(static_cast<std::int64_t>(run.run_id)), allocator);
  add(object, "kind", text(std::string(run_kind_name(run.kind)), allocator), allocator);
  add(object, "rollsBack",
      run.rolls_back ? rapidjson::Value(static_cast<std::int64_t>(*run.rolls_back))
                     : rapidjson::Value(rapidjson::kNullType),
      allocator);
  add(object, "fromVersion", text(run.from_version, allocator), allocator);
  add(object, "toVersion", text(run.to_version, allocator), allocator);
  add(object, "status", text(std::string(run_status_name(run.status)), allocator), allocator);
  add(object, "unfinished", rapidjson::Value(is_unfinished(run.status)), allocator);
  add(object, "interrupted", rapidjson::Value(interrupted), allocator);
  add(object, "operator", text(run.operator_name, allocator), allocator);
  add(object, "clientHost", text(run.client_host, allocator), allocator);
  add(object, "clientPid", rapidjson::Value(run.client_pid), allocator);
  add(object, "batchSize", rapidjson::Value(static_cast<std::int64_t>(run.batch_size)), allocator);
  add(object, "startedAt", text(run.started_at, allocator), allocator);
  add(object, "updatedAt", text(run.updated_at, allocator), allocator);
  add(object, "finishedAt", optional_text(run.finished_at, allocator), allocator);
  add(object, "reason", optional_text(run.reason, allocator), allocator);
  add(object, "error", optional_text(run.error, allocator), allocator);
  add(object, "globalRootBefore", optional_text(global_root_of(run.store_before_json), allocator),
      allocator);
  add(object, "globalRootAfter", optional_text(global_root_of(run.store_after_json), allocator),
      allocator);
  rapidjson::Value steps(rapidjson::kArrayType);
  for (const RunStepRecord& step : run.steps) {
    rapidjson::Value entry(rapidjson::kObjectType);
    add(entry, "ordinal", rapidjson::Value(step.ordinal), allocator);
    add(entry, "pluginId", text(step.plugin_id, allocator), allocator);
    add(entry, "pluginVersion", text(step.plugin_version, allocator), allocator);
    add(entry, "libraryDigest", text(step.library_digest, allocator), allocator);
    add(entry, "fromVersion", text(step.from_version, allocator), allocator);
    add(entry, "toVersion", text(step.to_version, allocator), allocator);
    add(entry, "direction", text(std::string(step_direction_name(step.direction)), allocator),
        allocator);
    add(entry, "state", text(std::string(step_state_name(step.state)), allocator), allocator);
    add(entry, "startedAt", optional_text(step.started_at, allocator), allocator);
    add(entry, "finishedAt", optional_text(step.finished_at, allocator), allocator);
    add(entry, "error", optional_text(step.error, allocator), allocator);
    add(entry, "upCheckpoint", checkpoint_json(step.up_checkpoint, allocator), allocator);
    add(entry, "downCheckpoint", checkpoint_json(step.down_checkpoint, allocator), allocator);
    steps.PushBack(entry, allocator);
  }
  add(object, "steps", std::move(steps), allocator);
  return object;
}

rapidjson::Value work_session_json(const WorkSession& session, Allocator& allocator) {
  rapidjson::Value object(rapidjson::kObjectType);
  add(object, "pid", rapidjson::Value(session.pid), allocator);
  add(object, "state", text(session.state, allocator), allocator);
  add(object, "waitingFor",
      session.wait.empty() ? rapidjson::Value(rapidjson::kNullType) : text(session.wait, allocator),
      allocator);
  add(object, "secondsInStatement",
      rapidjson::Value(static_cast<std::int64_t>(session.seconds_in_statement)), allocator);
  rapidjson::Value blockers(rapidjson::kArrayType);
  for (const BlockingSession& blocker : session.blocked_by) {
    rapidjson::Value entry(rapidjson::kObjectType);
    add(entry, "pid", rapidjson::Value(blocker.pid), allocator);
    add(entry, "user", text(blocker.user, allocator), allocator);
    add(entry, "application", text(blocker.application, allocator), allocator);
    add(entry, "state", text(blocker.state, allocator), allocator);
    add(entry, "seconds", rapidjson::Value(static_cast<std::int64_t>(blocker.seconds)), allocator);
    add(entry, "query", text(blocker.query, allocator), allocator);
    blockers.PushBack(entry, allocator);
  }
  add(object, "blockedBy", std::move(blockers), allocator);
  return object;
}

/// The work session's line under an active run, and one line per session that blocks it.
void write_work_session_text(std::ostream& out, const WorkSession& session) {
  out << "Work session: pid " << session.pid << ", " << session.state << ", "
      << session.seconds_in_statement << " s in its current statement"
      << (session.wait.empty() ? std::string() : ", waiting for " + session.wait) << "\n";
  for (const BlockingSession& blocker : session.blocked_by) {
    out << "  blocked by pid " << blocker.pid << " (user " << blocker.user
        << (blocker.application.empty() ? std::string() : ", application " + blocker.application)
        << ", " << blocker.state << " for " << blocker.seconds << " s): " << blocker.query << "\n";
  }
  if (!session.blocked_by.empty()) {
    out << "  the run goes on once they commit or roll back; `SELECT pg_terminate_backend(PID)` "
           "ends one that is stuck\n";
  }
}

std::string checkpoint_text(const std::optional<CheckpointRecord>& checkpoint) {
  if (!checkpoint) {
    return "no batch committed";
  }
  return std::to_string(checkpoint->batches) + " batches, last checkpoint '" +
         checkpoint->checkpoint + "' at " + checkpoint->committed_at;
}

}  // namespace

MigrationStatus read_migration_status(PgConnection& connection,
                                      const std::optional<std::int64_t>& run_id) {
  MigrationStatus status;
  status.database = database_name(connection);
  status.schema_version = detect_store_version(connection);
  const int holder = migration_lock_holder_pid(connection);
  if (holder != 0) {
    status.lock_holder = describe_migration_lock_holder(connection);
  }
  if (!run_journal_exists(connection)) {
    if (run_id) {
      throw sdk::Error(sdk::ErrorCode::invalid_input, "run " + std::to_string(*run_id) +
                                                          " does not exist: no migration has run "
                                                          "on this store");
    }
    return status;
  }
  if (run_id) {
    status.run = read_run(connection, *run_id);
    if (!status.run) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "run " + std::to_string(*run_id) + " does not exist in this store",
                       "`stella evidence migrate --status` shows the latest run");
    }
  } else {
    status.run = read_unfinished_run(connection);
    if (!status.run) {
      status.run = read_last_run(connection);
    }
  }
  status.interrupted = status.run && is_unfinished(status.run->status) && holder == 0;
  if (holder != 0) {
    status.work_session = read_work_session(connection);
  }
  return status;
}

void write_migration_status_json(std::ostream& out, const MigrationStatus& status) {
  rapidjson::Document document;
  document.SetObject();
  Allocator& allocator = document.GetAllocator();
  add(document, "database", text(status.database, allocator), allocator);
  add(document, "schemaVersion", optional_text(status.schema_version, allocator), allocator);
  add(document, "lockHolder", optional_text(status.lock_holder, allocator), allocator);
  add(document, "run",
      status.run ? run_json(*status.run, status.interrupted, allocator)
                 : rapidjson::Value(rapidjson::kNullType),
      allocator);
  add(document, "workSession",
      status.work_session ? work_session_json(*status.work_session, allocator)
                          : rapidjson::Value(rapidjson::kNullType),
      allocator);
  out << json_to_string(document, JsonLayout::pretty) << '\n';
}

void write_migration_status_text(std::ostream& out, const MigrationStatus& status) {
  out << "Store: database " << status.database << ", schema "
      << status.schema_version.value_or("none (no evidence store)") << "\n";
  out << "Migration lock: " << status.lock_holder.value_or("free") << "\n";
  if (!status.run) {
    out << "No migration has run on this store.\n";
    return;
  }
  const RunRecord& run = *status.run;
  out << (is_unfinished(run.status) ? "Unfinished run " : "Last run ") << run.run_id << ": "
      << run_kind_name(run.kind) << " " << run.from_version << " \u2192 " << run.to_version << ", "
      << run_status_name(run.status) << "\n";
  if (run.rolls_back) {
    out << "  undoes run " << *run.rolls_back << "\n";
  }
  out << "  operator " << run.operator_name << " on host " << run.client_host << " (pid "
      << run.client_pid << "), batches of " << run.batch_size << " rows\n"
      << "  started " << run.started_at << ", last update " << run.updated_at;
  if (run.finished_at) {
    out << ", finished " << *run.finished_at;
  }
  out << "\n";
  if (const auto before = global_root_of(run.store_before_json)) {
    out << "  global root before  " << *before << "\n";
  }
  if (const auto after = global_root_of(run.store_after_json)) {
    out << "  global root after   " << *after << "\n";
  }
  if (run.reason) {
    out << "  reason: " << *run.reason << "\n";
  }
  if (run.error) {
    out << "  error: " << *run.error << "\n";
  }
  for (const RunStepRecord& step : run.steps) {
    out << "  step " << step.ordinal << "  " << step.plugin_id << " " << step.plugin_version << "  "
        << step.from_version << " \u2192 " << step.to_version << "  "
        << step_direction_name(step.direction) << "  " << step_state_name(step.state) << "\n";
    if (step.up_checkpoint || step.direction == StepDirection::up) {
      out << "      up:   " << checkpoint_text(step.up_checkpoint) << "\n";
    }
    if (step.down_checkpoint || step.direction == StepDirection::down) {
      out << "      down: " << checkpoint_text(step.down_checkpoint) << "\n";
    }
    if (step.error) {
      out << "      error: " << *step.error << "\n";
    }
  }
  if (status.interrupted) {
    std::string remedy = unfinished_run_remedy(run, status.schema_version);
    remedy[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(remedy[0])));
    out << "Interrupted: no process drives this run any more";
    if (const std::string position = describe_run_position(run); !position.empty()) {
      out << "; it stopped " << position;
    }
    out << ". " << remedy << ".\n";
  } else if (run.status == RunStatus::running || run.status == RunStatus::rolling_back) {
    out << "Active: the process holding the migration lock is driving it.\n";
    if (status.work_session) {
      write_work_session_text(out, *status.work_session);
    }
  }
}

}  // namespace stella::host
