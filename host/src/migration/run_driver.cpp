// Running a recorded migration or rollback run, step by step, and deciding when it is done.
#include "migration/run_driver.hpp"

#include <unistd.h>

#include <algorithm>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/local_process.hpp"
#include "migration/cancellation.hpp"
#include "migration/run_step_context.hpp"
#include "reindex/reindex_locks.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/evidence/evidence_write_lock.hpp"
#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/migration_lock.hpp"
#include "stella/host/migration/plan_file.hpp"
#include "stella/host/migration/store_state.hpp"
#include "stella/host/migration/unfinished_run.hpp"
#include "stella/host/store/lost_connection.hpp"

namespace stella::host {
namespace {

/// Problems of a failed verify quoted in the error (all of them are in the run log).
constexpr std::size_t kQuotedVerifyProblems = 5;

std::string joined(const std::vector<std::string>& items, const char* separator = "; ") {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : separator) + item;
  }
  return text;
}

/// A small JSON object for an audit event's data.
class EventData {
 public:
  EventData() { writer_.StartObject(); }
  EventData& text(const char* key, const std::string& value) {
    writer_.Key(key);
    writer_.String(value);
    return *this;
  }
  EventData& number(const char* key, std::int64_t value) {
    writer_.Key(key);
    writer_.Int64(value);
    return *this;
  }
  EventData& flag(const char* key, bool value) {
    writer_.Key(key);
    writer_.Bool(value);
    return *this;
  }
  /// Adds the key only when there is a value.
  EventData& text_if(const char* key, const std::optional<std::string>& value) {
    return value ? text(key, *value) : *this;
  }
  EventData& texts(const char* key, const std::vector<std::string>& values) {
    writer_.Key(key);
    writer_.StartArray();
    for (const auto& value : values) {
      writer_.String(value);
    }
    writer_.EndArray();
    return *this;
  }
  std::string finish() {
    writer_.EndObject();
    return buffer_.GetString();
  }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_{buffer_};
};

void name_session(PgConnection& connection, const std::string& name) {
  connection.exec("SELECT set_config('application_name', $1, false)", {name});
}

}  // namespace

RunDriver::RunDriver(const MigrationContext& context)
    : context_(context),
      reporter_(context.err, context.globals),
      faults_(FaultHook::from_environment()) {
  control_ = PgConnection::connect(context.conninfo);
  if (!detect_store_version(*control_)) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "database " + database_name(*control_) + " holds no evidence store",
                     "create one with `stella evidence init`, or point --database at the store");
  }
  name_session(*control_, "stella migrate lock (" + context.globals.operator_name + ")");
  ensure_state_schema(*control_);
  if (!try_acquire_migration_lock(*control_)) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "another migration holds this store's migration lock: " +
                         describe_migration_lock_holder(*control_) +
                         "; this run was refused without waiting",
                     "wait for that run to finish (`stella evidence migrate --status` shows its "
                     "progress); when a run's process dies its lock goes with it, and "
                     "`stella evidence migrate --resume` continues the run");
  }
  lock_held_ = true;
  work_ = PgConnection::connect(context.conninfo);
  name_session(*work_, "stella migrate work (" + context.globals.operator_name + ")");
}

void RunDriver::announce_fault_hook() {
  if (faults_.armed()) {
    reporter_.warning(std::string("test fault hook armed: ") + kTestFaultVariable + "=" +
                      faults_.text());
  }
}

RunDriver::~RunDriver() {
  if (lock_held_) {
    try {
      release_migration_lock(*control_);
    } catch (...) {
      // Closing the session releases it anyway.
    }
  }
}

void RunDriver::refuse_if_unfinished() {
  const auto unfinished = read_unfinished_run(*control_);
  if (!unfinished) {
    return;
  }
  throw sdk::Error(sdk::ErrorCode::refused,
                   "run " + std::to_string(unfinished->run_id) + " (" +
                       std::string(run_kind_name(unfinished->kind)) + " " +
                       unfinished->from_version + " \u2192 " + unfinished->to_version +
                       ", started " + unfinished->started_at + " by " + unfinished->operator_name +
                       " on " + unfinished->client_host +
                       ") is unfinished: " + std::string(run_status_name(unfinished->status)) +
                       ", and no process drives it any more; nothing was changed",
                   unfinished_run_remedy(*unfinished, detect_store_version(*control_)) +
                       "; `stella evidence migrate --status` shows where it stopped");
}

void RunDriver::lock_out_evidence_writers(const StoreState& before) {
  take_evidence_write_lock(*work_, [this](const std::string& line) { reporter_.info(line); });
  work_->exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(kImportLockKey)});
  const StoredRoots stored = open_store_layout_during_migration(*work_)->stored_roots(*work_);
  const std::string now = stored.global ? stored.global->root : std::string();
  if (now != before.stored_global_root) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "evidence was written while the run was being prepared: the stored global "
                     "root was " +
                         before.stored_global_root + " and is now " + now + "; nothing was changed",
                     "stop the writers (seed, import, the evidence service) for the migration, "
                     "then run the same command again");
  }
}

void RunDriver::start_migration(const MigrationPlan& plan, std::vector<LoadedStep> steps,
                                const StoreState& before) {
  kind_ = RunKind::migrate;
  from_version_ = plan.from_version;
  to_version_ = plan.to_version;
  batch_size_ = plan.batch_size;
  steps_ = std::move(steps);
  before_ = before;
  target_ = before;

  NewRun run;
  run.kind = RunKind::migrate;
  run.from_version = plan.from_version;
  run.to_version = plan.to_version;
  run.status = RunStatus::running;
  run.operator_name = context_.globals.operator_name;
  run.client_host = local_host_name();
  run.client_pid = static_cast<int>(::getpid());
  run.backend_pid = control_->backend_pid();
  run.batch_size = plan.batch_size;
  run.plan_json = plan_to_json_text(plan);
  run.store_before_json = store_state_to_json_text(before);
  std::vector<std::string> plugin_ids;
  for (const LoadedStep& step : steps_) {
    RunStepRecord record;
    record.ordinal = step.planned.ordinal;
    record.plugin_id = step.planned.plugin_id;
    record.plugin_version = step.planned.plugin_version;
    record.library_digest = step.planned.library_digest;
    record.from_version = step.planned.from_version;
    record.to_version = step.planned.to_version;
    record.direction = StepDirection::up;
    run.steps.push_back(record);
    plugin_ids.push_back(step.planned.plugin_id + " " + step.planned.plugin_version);
  }

  PgTransaction transaction(*work_);
  lock_out_evidence_writers(before);
  run_id_ = record_new_run(*work_, run);
  append_audit_event(*work_, audit_type::kMigrationStart, context_.globals.operator_name,
                     EventData()
                         .text("from_version", plan.from_version)
                         .text("to_version", plan.to_version)
                         .number("run_id", run_id_)
                         .number("batch_size", plan.batch_size)
                         .text("global_root", before.global_root)
                         .texts("steps", plugin_ids)
                         .finish());
  transaction.commit();
  records_ = run.steps;
  reporter_.attach_run(*control_, run_id_);
  announce_fault_hook();
  reporter_.info("started: schema " + from_version_ + " \u2192 " + to_version_ + " in " +
                 std::to_string(steps_.size()) + " steps (" + joined(plugin_ids, ", ") +
                 "), batches of " + std::to_string(batch_size_) + " rows, by " + run.operator_name +
                 " on " + run.client_host + " (pid " + std::to_string(run.client_pid) +
                 "); global root " + before.global_root);
}

namespace {

/// Inside the transaction that records a rollback run: refuses, changing nothing, when a reindex
/// added a digest generation since the migration, sealed or still being built (one interrupted,
/// or one that started after the rollback's own checks). The rollback's first down step would
/// refuse it anyway, but only after the run was recorded, leaving it rollback_failed with a cause
/// no resume can remove, and every verb refusing the store. The reindex planning lock keeps a
/// reindex from starting between this check and the commit; once the run is committed, a reindex
/// sees it unfinished and refuses.
void refuse_rollback_over_later_generations(PgConnection& work, const RunRecord& undone) {
  work.exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(kReindexPlanLockKey)});
  if (work.exec("SELECT to_regclass('evidence.digest_generations') IS NOT NULL").get(0, 0) != "t") {
    return;
  }
  const PgResult later = work.exec(
      "SELECT generation, algorithm, state FROM evidence.digest_generations "
      "WHERE generation > (SELECT min(generation) FROM evidence.digest_generations) "
      "ORDER BY generation");
  if (later.rows() == 0) {
    return;
  }
  std::string named;
  for (int row = 0; row < later.rows(); ++row) {
    named += std::string(row == 0 ? "" : ", ") + "generation " + std::string(later.get(row, 0)) +
             " (" + std::string(later.get(row, 1)) + ", " + std::string(later.get(row, 2)) + ")";
  }
  throw sdk::Error(
      sdk::ErrorCode::refused,
      "a reindex added " + named + " since run " + std::to_string(undone.run_id) +
          " finished; a rollback to " + undone.from_version +
          " would drop it, which the older schema has no place for; nothing was changed",
      "keep the store at " + undone.to_version +
          " (`stella evidence reindex --progress` shows the reindex; `stella evidence reindex "
          "--resume` finishes one that was interrupted), or restore the pre-migration backup "
          "(runbook: \"Restore from Backup\")");
}

}  // namespace

void RunDriver::start_rollback(const RunRecord& undone, std::vector<LoadedStep> steps,
                               const StoreState& before, const std::string& reason) {
  kind_ = RunKind::rollback;
  undone_run_ = undone.run_id;
  from_version_ = undone.to_version;
  to_version_ = undone.from_version;
  batch_size_ = context_.batch_size_override.value_or(undone.batch_size);
  steps_ = std::move(steps);
  before_ = before;
  target_ = store_state_from_json_text(undone.store_before_json,
                                       "run " + std::to_string(undone.run_id) + " store_before");

  NewRun run;
  run.kind = RunKind::rollback;
  run.rolls_back = undone.run_id;
  run.from_version = from_version_;
  run.to_version = to_version_;
  run.status = RunStatus::rolling_back;
  run.operator_name = context_.globals.operator_name;
  run.client_host = local_host_name();
  run.client_pid = static_cast<int>(::getpid());
  run.backend_pid = control_->backend_pid();
  run.batch_size = batch_size_;
  run.plan_json = undone.plan_json;
  run.store_before_json = store_state_to_json_text(before);
  // Recorded with the run, so that a resume after a crash finishes it with the operator's reason.
  run.reason = reason;
  int ordinal = 0;
  for (const LoadedStep& step : steps_) {
    RunStepRecord record;
    record.ordinal = ++ordinal;
    record.plugin_id = step.planned.plugin_id;
    record.plugin_version = step.planned.plugin_version;
    record.library_digest = step.planned.library_digest;
    record.from_version = step.planned.from_version;
    record.to_version = step.planned.to_version;
    record.direction = StepDirection::down;
    run.steps.push_back(record);
  }

  PgTransaction transaction(*work_);
  lock_out_evidence_writers(before);
  refuse_rollback_over_later_generations(*work_, undone);
  run_id_ = record_new_run(*work_, run);
  append_audit_event(*work_, audit_type::kMigrationStart, context_.globals.operator_name,
                     EventData()
                         .text("from_version", from_version_)
                         .text("to_version", to_version_)
                         .number("run_id", run_id_)
                         .text("direction", "rollback")
                         .number("rolls_back_run", undone.run_id)
                         .text("reason", reason)
                         .text("global_root", before.global_root)
                         .finish());
  transaction.commit();
  records_ = run.steps;
  reporter_.attach_run(*control_, run_id_);
  announce_fault_hook();
  reporter_.info("started: rollback of run " + std::to_string(undone.run_id) + ", schema " +
                 from_version_ + " \u2192 " + to_version_ + ", by " + run.operator_name + " on " +
                 run.client_host + " (pid " + std::to_string(run.client_pid) +
                 "); reason: " + reason);
}

void RunDriver::adopt(const RunRecord& run, std::vector<LoadedStep> steps, const StoreState& target,
                      const std::string& takeover_note) {
  run_id_ = run.run_id;
  takeover_note_ = takeover_note;
  kind_ = run.kind;
  undone_run_ = run.rolls_back;
  from_version_ = run.from_version;
  to_version_ = run.to_version;
  batch_size_ = context_.batch_size_override.value_or(run.batch_size);
  steps_ = std::move(steps);
  records_ = run.steps;
  before_ = store_state_from_json_text(run.store_before_json,
                                       "run " + std::to_string(run.run_id) + " store_before");
  target_ = target;
  const std::string host = local_host_name();
  record_run_driver(*work_, run_id_, host, static_cast<int>(::getpid()), control_->backend_pid(),
                    batch_size_);
  reporter_.attach_run(*control_, run_id_);
  announce_fault_hook();
  reporter_.info("taken over by " + context_.globals.operator_name + " on " + host + " (pid " +
                 std::to_string(::getpid()) + ") to continue from its last checkpoints; it was " +
                 std::string(run_status_name(run.status)) + ", last driven from " +
                 run.client_host + " (pid " + std::to_string(run.client_pid) + ")" +
                 (batch_size_ != run.batch_size
                      ? "; batches of " + std::to_string(batch_size_) + " rows from now on"
                      : std::string()));
}

std::string RunDriver::step_label(const RunStepRecord& record) const {
  return record.plugin_id + " " + record.plugin_version + " (" + record.from_version + " \u2192 " +
         record.to_version + ")";
}

void RunDriver::set_step_state(RunStepRecord& record, StepState state,
                               const std::optional<std::string>& error) {
  record_step_state(*work_, run_id_, record.ordinal, state, error);
  record.state = state;
}

bool RunDriver::recover_sessions() noexcept {
  try {
    control_->exec("SELECT 1");
  } catch (...) {
    return false;  // the migration lock is gone with its session
  }
  try {
    work_->rollback();
    work_->exec("SELECT 1");
    return true;
  } catch (...) {
    // The work session alone is gone (terminated by an administrator); open a new one below.
  }
  try {
    work_ = PgConnection::connect(context_.conninfo);
    name_session(*work_, "stella migrate work (" + context_.globals.operator_name + ")");
    return true;
  } catch (...) {
    return false;
  }
}

void RunDriver::stop_after_lost_connection(const RunFailure& failure, bool rolling_back) const {
  const std::string run = "run " + std::to_string(run_id_) + " (" +
                          std::string(run_kind_name(kind_)) + " " + from_version_ + " \u2192 " +
                          to_version_ + ")";
  if (rolling_back) {
    // A rollback run names itself; a migration's automatic rollback is "the rollback of" it.
    const std::string what = kind_ == RunKind::rollback ? run : "the rollback of " + run;
    throw lost_connection_error(what + " was interrupted", failure.message,
                                "The migration lock went with it, so nothing more was done: the "
                                "run stays unfinished with what its rollback had undone",
                                "finish the rollback with `stella evidence migrate --resume`; "
                                "`stella evidence migrate --status` shows where it stopped");
  }
  throw lost_connection_error(
      run + " was interrupted", failure.message,
      "The migration lock went with it, so nothing was rolled back: the run stays unfinished "
      "with its committed batches and their checkpoints",
      "continue the run with `stella evidence migrate --resume`, or undo it with `stella "
      "evidence migrate --rollback --from-version " +
          to_version_ + "`; `stella evidence migrate --status` shows where it stopped");
}

void RunDriver::stop_after_cancelled_rollback(const RunFailure& failure) {
  const std::string what = kind_ == RunKind::rollback
                               ? "rollback run " + std::to_string(run_id_) + " (" + from_version_ +
                                     " \u2192 " + to_version_ + ", undoing run " +
                                     std::to_string(undone_run_.value_or(0)) + ")"
                               : "the rollback of run " + std::to_string(run_id_) + " (migrate " +
                                     from_version_ + " \u2192 " + to_version_ + ")";
  // Not a failed rollback: nothing went wrong, the operator asked it to stop. Its status stays
  // rolling_back and the step keeps its checkpoint, so --resume goes on from there; the run log
  // (not the audit trail, whose rollback event records a rollback that ended) says it stopped.
  reporter_.error(what + " was cancelled (SIGINT or SIGTERM): " + failure.message +
                  "; it stays unfinished for `stella evidence migrate --resume`");
  throw sdk::Error(
      sdk::ErrorCode::cancelled,
      what + " was cancelled (SIGINT or SIGTERM) at a batch boundary: " + failure.message +
          ". What it had undone stays committed with its checkpoints; the run stays "
          "unfinished (rolling_back), and the store is part of the way back to " +
          target_.schema_version + " until the rollback is finished",
      "finish the rollback with `stella evidence migrate --resume` (it goes on from "
      "the last checkpoint and then checks the roots); `stella evidence migrate "
      "--status` shows where it stopped");
}

RunFailure RunDriver::failure_from(const std::exception& error) const {
  RunFailure failure;
  failure.ordinal = current_ordinal_;
  std::string what = error.what();
  if (const auto* sdk_error = dynamic_cast<const sdk::Error*>(&error)) {
    failure.code = sdk_error->code();
    failure.hint = sdk_error->hint();
  }
  if (current_ordinal_) {
    const std::size_t index = static_cast<std::size_t>(*current_ordinal_ - 1);
    const RunStepRecord& record = records_.at(index);
    const LoadedStep& step = steps_.at(index);
    failure.message =
        "step " + std::to_string(record.ordinal) + " of " + std::to_string(records_.size()) + " (" +
        step_label(record) + ", " + step.planned.library_file +
        (failure.code == sdk::ErrorCode::cancelled ? ") stopped during " : ") failed during ") +
        current_phase_ + " after " + std::to_string(current_batches_) +
        " committed batches: " + what;
  } else {
    failure.message = current_phase_ + " failed: " + what;
  }
  return failure;
}

StoreState RunDriver::capture_in_transaction() {
  PgTransaction transaction(*work_);
  StoreState state = capture_store_state(*work_);
  transaction.commit();
  return state;
}

void RunDriver::run_step_up(LoadedStep& step, RunStepRecord& record) {
  current_ordinal_ = record.ordinal;
  current_phase_ = "up";
  const auto resume = read_checkpoint(*work_, run_id_, record.ordinal, StepDirection::up);
  current_batches_ = resume ? resume->batches : 0;
  set_step_state(record, StepState::running);
  reporter_.log(sdk::LogLevel::info, record.ordinal,
                resume ? "resuming " + step_label(record) + " after checkpoint '" +
                             resume->checkpoint + "' (" + std::to_string(resume->batches) +
                             " batches committed)"
                       : "starting " + step_label(record));

  PgTransaction transaction(*work_);
  faults_.fire(record.plugin_id, fault_point::kBeforeUp);
  RunStepContext step_context(
      *work_, batch_size_, reporter_,
      RunStepBinding{run_id_, record.ordinal, record.plugin_id, StepDirection::up, resume, &faults_,
                     control_->backend_pid()},
      "step " + std::to_string(record.ordinal) + " " + record.plugin_id + " up");
  try {
    step.step->up(step_context);
  } catch (...) {
    current_batches_ = step_context.batches();
    throw;
  }
  current_batches_ = step_context.batches();
  reporter_.finish_progress();
  faults_.fire(record.plugin_id, fault_point::kAfterUp);
  const auto version = detect_store_version(*work_);
  if (version != record.to_version) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "after up the store reports schema " + version.value_or("none") +
                         "; the step promises " + record.to_version,
                     "this is a bug in the plugin: report it to its authors");
  }

  current_phase_ = "verify";
  faults_.fire(record.plugin_id, fault_point::kBeforeVerify);
  const sdk::VerifyOutcome outcome = step.step->verify(step_context);
  if (!outcome.ok) {
    for (const auto& problem : outcome.problems) {
      reporter_.log(sdk::LogLevel::error, record.ordinal, "verify: " + problem);
    }
    std::vector<std::string> quoted(
        outcome.problems.begin(),
        outcome.problems.begin() +
            static_cast<std::ptrdiff_t>(std::min(outcome.problems.size(), kQuotedVerifyProblems)));
    throw sdk::Error(
        sdk::ErrorCode::verification_failed,
        "verify found " + std::to_string(outcome.problems.size()) +
            " problems after up: " + joined(quoted) +
            (outcome.problems.size() > kQuotedVerifyProblems
                 ? " (all of them are in `stella evidence migrate --logs`)"
                 : ""),
        "the store was rolled back; fix what verify names (often the 1.0 store itself: "
        "`stella evidence verify-all`) and migrate again");
  }
  faults_.fire(record.plugin_id, fault_point::kAfterVerify);

  set_step_state(record, StepState::completed);
  append_audit_event(*work_, audit_type::kSchemaChange, context_.globals.operator_name,
                     EventData()
                         .text("before_version", record.from_version)
                         .text("after_version", record.to_version)
                         .number("run_id", run_id_)
                         .number("step", record.ordinal)
                         .text("direction", "up")
                         .text("plugin_id", record.plugin_id)
                         .text("plugin_version", record.plugin_version)
                         .text("library_digest", record.library_digest)
                         .number("batches", current_batches_)
                         .finish());
  require_migration_lock_held(*work_, control_->backend_pid());
  transaction.commit();
  reporter_.log(sdk::LogLevel::info, record.ordinal,
                "completed and verified; store at " + record.to_version + " (" +
                    std::to_string(current_batches_) + " batches)");
  current_ordinal_.reset();
}

void RunDriver::run_step_down(LoadedStep& step, RunStepRecord& record, StepState in_progress,
                              StepState done) {
  current_ordinal_ = record.ordinal;
  current_phase_ = "down";
  const auto resume = read_checkpoint(*work_, run_id_, record.ordinal, StepDirection::down);
  current_batches_ = resume ? resume->batches : 0;
  set_step_state(record, in_progress);
  reporter_.log(sdk::LogLevel::info, record.ordinal,
                (resume ? "resuming the undo of " : "undoing ") + step_label(record) +
                    (resume ? " after checkpoint '" + resume->checkpoint + "'" : std::string()));

  PgTransaction transaction(*work_);
  faults_.fire(record.plugin_id, fault_point::kBeforeDown);
  const std::string version_before = detect_store_version(*work_).value_or("none");
  RunStepContext step_context(
      *work_, batch_size_, reporter_,
      RunStepBinding{run_id_, record.ordinal, record.plugin_id, StepDirection::down, resume,
                     &faults_, control_->backend_pid()},
      "step " + std::to_string(record.ordinal) + " " + record.plugin_id + " down");
  try {
    step.step->down(step_context);
  } catch (...) {
    current_batches_ = step_context.batches();
    throw;
  }
  current_batches_ = step_context.batches();
  reporter_.finish_progress();
  faults_.fire(record.plugin_id, fault_point::kAfterDown);
  const std::string version_after = detect_store_version(*work_).value_or("none");
  if (version_after != record.from_version) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "after down the store reports schema " + version_after +
                         "; undoing the step must leave it at " + record.from_version,
                     "this is a bug in the plugin: report it to its authors");
  }
  set_step_state(record, done);
  if (version_before != version_after) {
    append_audit_event(*work_, audit_type::kSchemaChange, context_.globals.operator_name,
                       EventData()
                           .text("before_version", version_before)
                           .text("after_version", version_after)
                           .number("run_id", run_id_)
                           .number("step", record.ordinal)
                           .text("direction", "down")
                           .text("plugin_id", record.plugin_id)
                           .text("plugin_version", record.plugin_version)
                           .text("library_digest", record.library_digest)
                           .number("batches", current_batches_)
                           .text_if("reason", rollback_reason_)
                           .text_if("resume_note", takeover_note_)
                           .finish());
  }
  require_migration_lock_held(*work_, control_->backend_pid());
  transaction.commit();
  reporter_.log(
      sdk::LogLevel::info, record.ordinal,
      "undone; store at " + version_after + " (" + std::to_string(current_batches_) + " batches)");
  current_ordinal_.reset();
}

RunOutcome RunDriver::drive_migration() {
  const CancellationScope cancellation;
  try {
    for (std::size_t index = 0; index < steps_.size(); ++index) {
      if (records_[index].state != StepState::completed) {
        run_step_up(steps_[index], records_[index]);
      }
    }
    current_ordinal_.reset();
    current_phase_ = "the final roots check";
    faults_.fire(kRunFaultScope, fault_point::kBeforeComplete);
    PgTransaction transaction(*work_);
    const StoreState after = capture_store_state(*work_);
    if (after.schema_version != to_version_) {
      throw sdk::Error(sdk::ErrorCode::internal, "after the last step the store reports schema " +
                                                     after.schema_version + "; the run leads to " +
                                                     to_version_);
    }
    const std::vector<std::string> differences = store_root_differences(before_, after);
    if (!differences.empty()) {
      throw sdk::Error(sdk::ErrorCode::verification_failed,
                       "the roots after the migration differ from those before it (a schema "
                       "change must not change what the roots commit to): " +
                           joined(differences));
    }
    record_run_status(*work_, run_id_, RunStatus::completed, std::nullopt, std::nullopt, true,
                      store_state_to_json_text(after));
    transaction.commit();
    reporter_.info("completed: the store is at " + to_version_ +
                   "; its roots equal those before the run (global root " + after.global_root +
                   ")");
    return RunOutcome{run_id_, kind_, RunStatus::completed, from_version_, to_version_,
                      before_, after};
  } catch (const std::exception& error) {
    const RunFailure failure = failure_from(error);
    const bool can_go_on = recover_sessions();
    reporter_.finish_progress();
    reporter_.error(failure.message);
    if (!can_go_on) {
      stop_after_lost_connection(failure, false);
    }
    const RunOutcome outcome =
        roll_back_migration("automatic rollback after a failure: " + failure.message, failure);
    const bool cancelled = failure.code == sdk::ErrorCode::cancelled;
    throw sdk::Error(
        failure.code,
        "migration " + from_version_ + " \u2192 " + to_version_ + " (run " +
            std::to_string(run_id_) + ")" +
            (cancelled ? " was cancelled (SIGINT or SIGTERM) and rolled back: "
                       : " failed and was rolled back automatically: ") +
            failure.message + ". The store is back at " + outcome.after.schema_version +
            " with the roots it had before (global root " + outcome.after.global_root +
            "); the run is recorded as rolled_back",
        failure.hint.empty()
            ? "`stella evidence migrate --logs` shows the run's log; fix the cause and "
              "run the migration again"
            : failure.hint);
  }
}

RunOutcome RunDriver::roll_back_migration(const std::string& reason,
                                          const std::optional<RunFailure>& cause) {
  // Its own scope too, for the callers that have none (--resume and --rollback of an interrupted
  // run). Entering it forgets a signal that cancelled the migration: the rollback that follows must
  // not stop for the same signal, only for a later one.
  const CancellationScope cancellation;
  reset_cancellation();
  rollback_reason_ = reason;
  {
    PgTransaction transaction(*work_);
    record_run_status(*work_, run_id_, RunStatus::rolling_back, reason,
                      cause ? std::optional<std::string>(cause->message) : std::nullopt, false);
    if (cause && cause->ordinal) {
      set_step_state(records_.at(static_cast<std::size_t>(*cause->ordinal - 1)), StepState::failed,
                     cause->message);
    }
    transaction.commit();
  }
  reporter_.info("rolling back: " + reason);
  for (std::size_t index = steps_.size(); index-- > 0;) {
    RunStepRecord& record = records_[index];
    if (record.state == StepState::pending || record.state == StepState::rolled_back) {
      continue;
    }
    try {
      run_step_down(steps_[index], record, StepState::rolling_back, StepState::rolled_back);
    } catch (const std::exception& error) {
      const RunFailure failure = failure_from(error);
      const bool can_go_on = recover_sessions();
      reporter_.finish_progress();
      if (!can_go_on) {
        stop_after_lost_connection(failure, true);
      }
      if (failure.code == sdk::ErrorCode::cancelled) {
        stop_after_cancelled_rollback(failure);
      }
      fail_rollback("undoing " + failure.message, reason, cause);
    }
  }

  current_phase_ = "the roots check after the rollback";
  const StoreState after = capture_in_transaction();
  std::vector<std::string> differences = store_root_differences(target_, after);
  if (after.schema_version != target_.schema_version) {
    differences.insert(differences.begin(), "schema version: expected " + target_.schema_version +
                                                ", found " + after.schema_version);
  }
  if (!differences.empty()) {
    fail_rollback("the roots after the rollback differ from those recorded before the run: " +
                      joined(differences),
                  reason, cause);
  }
  PgTransaction transaction(*work_);
  record_run_status(*work_, run_id_, RunStatus::rolled_back, std::nullopt, std::nullopt, true,
                    store_state_to_json_text(after));
  append_audit_event(*work_, audit_type::kRollback, context_.globals.operator_name,
                     EventData()
                         .text("reason", reason)
                         .text("restored_version", after.schema_version)
                         .number("run_id", run_id_)
                         .flag("roots_match", true)
                         .text("global_root", after.global_root)
                         .text_if("resume_note", takeover_note_)
                         .finish());
  transaction.commit();
  reporter_.info("rolled back: the store is at " + after.schema_version +
                 " with the roots it had before the run (global root " + after.global_root + ")");
  return RunOutcome{run_id_, kind_, RunStatus::rolled_back, from_version_, to_version_,
                    before_, after};
}

RunOutcome RunDriver::drive_rollback_run(const std::string& reason) {
  const CancellationScope cancellation;
  rollback_reason_ = reason;
  for (std::size_t index = 0; index < steps_.size(); ++index) {
    RunStepRecord& record = records_[index];
    if (record.state == StepState::completed) {
      continue;
    }
    try {
      run_step_down(steps_[index], record, StepState::running, StepState::completed);
    } catch (const std::exception& error) {
      const RunFailure failure = failure_from(error);
      const bool can_go_on = recover_sessions();
      reporter_.finish_progress();
      if (!can_go_on) {
        stop_after_lost_connection(failure, true);
      }
      if (failure.code == sdk::ErrorCode::cancelled) {
        stop_after_cancelled_rollback(failure);
      }
      fail_rollback("undoing " + failure.message, reason, std::nullopt);
    }
  }
  current_phase_ = "the roots check after the rollback";
  const StoreState after = capture_in_transaction();
  std::vector<std::string> differences = store_root_differences(target_, after);
  if (after.schema_version != target_.schema_version) {
    differences.insert(differences.begin(), "schema version: expected " + target_.schema_version +
                                                ", found " + after.schema_version);
  }
  if (!differences.empty()) {
    fail_rollback("the roots after the rollback differ from those recorded before run " +
                      std::to_string(undone_run_.value_or(0)) + ": " + joined(differences),
                  reason, std::nullopt);
  }
  PgTransaction transaction(*work_);
  record_run_status(*work_, run_id_, RunStatus::completed, std::nullopt, std::nullopt, true,
                    store_state_to_json_text(after));
  if (undone_run_) {
    record_run_undone(*work_, *undone_run_,
                      "rolled back by run " + std::to_string(run_id_) + ": " + reason);
  }
  append_audit_event(*work_, audit_type::kRollback, context_.globals.operator_name,
                     EventData()
                         .text("reason", reason)
                         .text("restored_version", after.schema_version)
                         .number("run_id", run_id_)
                         .number("rolled_back_run", undone_run_.value_or(0))
                         .flag("roots_match", true)
                         .text("global_root", after.global_root)
                         .text_if("resume_note", takeover_note_)
                         .finish());
  transaction.commit();
  reporter_.info("rolled back run " + std::to_string(undone_run_.value_or(0)) +
                 ": the store is at " + after.schema_version +
                 " with the roots it had before that migration (global root " + after.global_root +
                 ")");
  return RunOutcome{run_id_, kind_, RunStatus::completed, from_version_, to_version_,
                    before_, after};
}

void RunDriver::fail_rollback(const std::string& what, const std::string& reason,
                              const std::optional<RunFailure>& cause) {
  recover_sessions();
  try {
    PgTransaction transaction(*work_);
    record_run_status(*work_, run_id_, RunStatus::rollback_failed, reason, what, false);
    append_audit_event(*work_, audit_type::kRollback, context_.globals.operator_name,
                       EventData()
                           .text("reason", reason)
                           .text("restored_version", detect_store_version(*work_).value_or("none"))
                           .number("run_id", run_id_)
                           .flag("roots_match", false)
                           .text("problem", what)
                           .text_if("resume_note", takeover_note_)
                           .finish());
    transaction.commit();
  } catch (const std::exception& e) {
    reporter_.error(std::string("could not record the failed rollback: ") + e.what());
  }
  reporter_.error("ROLLBACK FAILED: " + what);
  throw sdk::Error(sdk::ErrorCode::verification_failed,
                   "ROLLBACK FAILED for run " + std::to_string(run_id_) + " (" + from_version_ +
                       " \u2192 " + to_version_ + "): " + what +
                       (cause ? "; the run had failed with: " + cause->message : std::string()) +
                       ". The store is NOT known to be as it was before the run; the run is "
                       "recorded as rollback_failed",
                   "fix the cause and continue the rollback with `stella evidence migrate "
                   "--resume` (it redoes what is left and checks the roots again); if that is "
                   "impossible, restore the pre-migration backup (runbook: \"Restore from "
                   "Backup\") and run --resume to close the run");
}

}  // namespace stella::host
