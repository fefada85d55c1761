// Drives one recorded run: steps up or down in their own transactions, checkpoints, the automatic
// rollback of a failed migration, and the roots check that decides whether a run or a rollback is
// done. Used by run_migration, run_migration_plan, resume_migration and rollback_migration
// (migration_executor.cpp), which open it, record or find the run, and hand it over.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "migration/run_reporter.hpp"
#include "migration/step_loading.hpp"
#include "stella/host/migration/fault_hook.hpp"
#include "stella/host/migration/migration_executor.hpp"
#include "stella/host/migration/run_journal.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

/// What failed, with enough context to say so and to decide the exit code.
struct RunFailure {
  /// The step that failed; nullopt for the run's own checks.
  std::optional<int> ordinal;
  sdk::ErrorCode code = sdk::ErrorCode::internal;
  std::string message;
  std::string hint;
};

class RunDriver {
 public:
  /// Opens the lock connection ("control") and the work connection, makes sure the state schema
  /// is current, and takes the migration lock: refused at once, naming the holder, when another
  /// session holds it.
  explicit RunDriver(const MigrationContext& context);
  ~RunDriver();
  RunDriver(const RunDriver&) = delete;
  RunDriver& operator=(const RunDriver&) = delete;

  PgConnection& control() { return *control_; }
  PgConnection& work() { return *work_; }
  RunReporter& reporter() { return reporter_; }
  const MigrationContext& context() const { return context_; }

  /// Throws sdk::Error(refused) when a run is unfinished (it must be resumed or rolled back first).
  void refuse_if_unfinished();

  /// Records a new migration run for `plan` (steps pending, status running) with its
  /// migration_start audit event, and adopts it.
  void start_migration(const MigrationPlan& plan, std::vector<LoadedStep> steps,
                       const StoreState& before);
  /// Records a rollback run of the completed migration `undone`, and adopts it.
  void start_rollback(const RunRecord& undone, std::vector<LoadedStep> steps,
                      const StoreState& before, const std::string& reason);
  /// Adopts a recorded unfinished run (resume); takes it over for this process. `takeover_note`
  /// ("resumed by alice") goes into the audit events it writes beside the run's own reason.
  void adopt(const RunRecord& run, std::vector<LoadedStep> steps, const StoreState& target,
             const std::string& takeover_note);

  /// Runs the migration's remaining steps up, checks the roots, marks it completed. On failure
  /// rolls it back and throws sdk::Error describing the failure and the rollback's result.
  RunOutcome drive_migration();
  /// Undoes the adopted migration run's steps (after a failure, or when an operator asks), checks
  /// the roots against those before it. Returns the outcome when the store is back as it was;
  /// throws sdk::Error(verification_failed) when it is not (run marked rollback_failed).
  RunOutcome roll_back_migration(const std::string& reason, const std::optional<RunFailure>& cause);
  /// Runs the adopted rollback run's remaining down steps and checks the roots against those
  /// before the migration it undoes.
  RunOutcome drive_rollback_run(const std::string& reason);

  /// The adopted run's id.
  std::int64_t run_id() const { return run_id_; }

 private:
  /// Inside the transaction that records a new run: waits for stella's evidence writers (seed,
  /// import, quarantine) to commit and keeps new ones out until the run is recorded (they refuse
  /// while it is unfinished: evidence_write_guard.hpp); then refuses, changing nothing, when one
  /// of them wrote since `before` was captured.
  void lock_out_evidence_writers(const StoreState& before);
  /// Says on stderr (and, once a run is attached, in its log) that the test fault hook is armed.
  void announce_fault_hook();
  void run_step_up(LoadedStep& step, RunStepRecord& record);
  void run_step_down(LoadedStep& step, RunStepRecord& record, StepState in_progress,
                     StepState done);
  void set_step_state(RunStepRecord& record, StepState state,
                      const std::optional<std::string>& error = std::nullopt);
  /// Ends any open transaction on the work connection and reconnects it when its session is lost.
  /// Returns whether the run can go on from here: the work connection works and the control
  /// connection still holds the migration lock. When the server stopped or restarted, or a
  /// session was terminated, the lock went with it: another process may take the run over, so
  /// nothing more may be done (not even the automatic rollback).
  bool recover_sessions() noexcept;
  /// Throws the error for a run whose connection to PostgreSQL was lost while it ran `failure`:
  /// nothing was undone, the run stays unfinished, and the hint says how to continue it.
  [[noreturn]] void stop_after_lost_connection(const RunFailure& failure, bool rolling_back) const;
  /// Throws the error for a rollback that SIGINT or SIGTERM stopped at a batch boundary (exit 3):
  /// the run stays rolling_back with what it undid, for --resume to finish.
  [[noreturn]] void stop_after_cancelled_rollback(const RunFailure& failure);
  RunFailure failure_from(const std::exception& error) const;
  StoreState capture_in_transaction();
  std::string step_label(const RunStepRecord& record) const;
  [[noreturn]] void fail_rollback(const std::string& what, const std::string& reason,
                                  const std::optional<RunFailure>& cause);

  const MigrationContext& context_;
  RunReporter reporter_;
  FaultHook faults_;
  std::unique_ptr<PgConnection> control_;
  std::unique_ptr<PgConnection> work_;
  bool lock_held_ = false;

  std::int64_t run_id_ = 0;
  RunKind kind_ = RunKind::migrate;
  std::optional<std::int64_t> undone_run_;
  std::string from_version_;
  std::string to_version_;
  std::int64_t batch_size_ = 0;
  std::vector<LoadedStep> steps_;
  std::vector<RunStepRecord> records_;
  /// The state the run started from.
  StoreState before_;
  /// What a rollback must restore: the migration's own before-state, or for a rollback run the
  /// before-state of the migration it undoes.
  StoreState target_;

  /// The reason of the rollback under way, for its schema_change events.
  std::optional<std::string> rollback_reason_;
  /// Who took the run over (adopt), for its audit events; unset for a run started here.
  std::optional<std::string> takeover_note_;

  /// What is running now, for error messages.
  std::optional<int> current_ordinal_;
  std::string current_phase_;
  std::int64_t current_batches_ = 0;
};

}  // namespace stella::host
