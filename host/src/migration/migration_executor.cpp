// The migration operations the `migrate` verb offers: run, run a plan file, resume, roll back.
#include "stella/host/migration/migration_executor.hpp"

#include "migration/orphan_preflight.hpp"
#include "migration/plan_builder.hpp"
#include "migration/run_driver.hpp"
#include "migration/step_loading.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/plan_file.hpp"
#include "stella/host/migration/store_state.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : "; ") + item;
  }
  return text;
}

/// The steps of a recorded run as plan steps (what load_planned_steps checks them against).
std::vector<PlannedStep> planned_steps_of(const RunRecord& run) {
  std::vector<PlannedStep> planned;
  for (const RunStepRecord& record : run.steps) {
    PlannedStep step;
    step.ordinal = record.ordinal;
    step.plugin_id = record.plugin_id;
    step.plugin_version = record.plugin_version;
    step.library_digest = record.library_digest;
    step.from_version = record.from_version;
    step.to_version = record.to_version;
    planned.push_back(std::move(step));
  }
  return planned;
}

/// What a rollback of `run` must restore: the store as it was before the migration.
StoreState rollback_target(PgConnection& connection, const RunRecord& run) {
  if (run.kind == RunKind::migrate) {
    return store_state_from_json_text(run.store_before_json,
                                      "run " + std::to_string(run.run_id) + " store_before");
  }
  const auto undone = read_run(connection, run.rolls_back.value_or(0));
  if (!undone) {
    throw sdk::Error(sdk::ErrorCode::internal, "rollback run " + std::to_string(run.run_id) +
                                                   " undoes run " +
                                                   std::to_string(run.rolls_back.value_or(0)) +
                                                   ", which the runs table does not hold");
  }
  return store_state_from_json_text(undone->store_before_json,
                                    "run " + std::to_string(undone->run_id) + " store_before");
}

/// Continues an unfinished run the driver holds the lock for. A rollback goes on with the reason
/// recorded when it was asked for; `note` ("resumed by alice") is added beside it, and stands in
/// for it only for a run recorded without one.
RunOutcome continue_run(RunDriver& driver, const RunRecord& run, const std::string& note) {
  std::vector<LoadedStep> steps = load_planned_steps(
      driver.context().registry, planned_steps_of(run), "run " + std::to_string(run.run_id));
  driver.adopt(run, std::move(steps), rollback_target(driver.control(), run), note);
  if (run.kind == RunKind::rollback) {
    return driver.drive_rollback_run(run.reason.value_or(note));
  }
  if (run.status == RunStatus::running) {
    return driver.drive_migration();
  }
  return driver.roll_back_migration(run.reason.value_or(note), std::nullopt);
}

}  // namespace

RunOutcome run_migration(const MigrationContext& context, const std::string& from_version,
                         const std::string& to_version, std::int64_t batch_size) {
  RunDriver driver(context);
  driver.refuse_if_unfinished();
  const MigrationPlan plan = build_migration_plan(driver.work(), context, driver.reporter(),
                                                  from_version, to_version, batch_size);
  std::vector<LoadedStep> steps = load_planned_steps(context.registry, plan.steps, "the plan");
  driver.start_migration(plan, std::move(steps), plan.store);
  return driver.drive_migration();
}

RunOutcome run_migration_plan(const MigrationContext& context, const MigrationPlan& plan) {
  RunDriver driver(context);
  driver.refuse_if_unfinished();
  require_readable_version(plan.to_version);
  StoreState current;
  {
    PgTransaction transaction(driver.work());
    require_store_version(driver.work(), plan.from_version, "the plan",
                          "the store moved on since the plan was made at " + plan.created_at +
                              "; make a new plan with `stella evidence migrate --dry-run "
                              "--output FILE`");
    current = capture_store_state(driver.work());
    require_consistent(current);
    refuse_orphans_before_migration(driver.work());
  }
  const std::vector<std::string> differences = store_root_differences(plan.store, current);
  if (!differences.empty()) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store changed since the plan was made at " + plan.created_at + ": " +
                         joined(differences) +
                         "; a plan runs only on the store it was made against, nothing was changed",
                     "review the change, then make a new plan: `stella evidence migrate "
                     "--from-version " +
                         plan.from_version + " --to-version " + plan.to_version +
                         " --dry-run --output FILE`");
  }
  std::vector<LoadedStep> steps =
      load_planned_steps(context.registry, plan.steps, "the plan made at " + plan.created_at);
  driver.start_migration(plan, std::move(steps), current);
  return driver.drive_migration();
}

std::optional<RunOutcome> resume_migration(const MigrationContext& context) {
  RunDriver driver(context);
  const auto run = read_unfinished_run(driver.control());
  if (!run) {
    return std::nullopt;
  }
  return continue_run(driver, *run, "resumed by " + context.globals.operator_name);
}

RunOutcome rollback_migration(const MigrationContext& context, const std::string& from_version,
                              const std::optional<std::string>& to_version,
                              const std::string& reason) {
  RunDriver driver(context);
  const std::string store_version = detect_store_version(driver.control()).value_or("none");

  if (const auto unfinished = read_unfinished_run(driver.control())) {
    if (from_version != store_version && from_version != unfinished->to_version) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "run " + std::to_string(unfinished->run_id) + " (" +
                           unfinished->from_version + " \u2192 " + unfinished->to_version +
                           ") is unfinished with the store at " + store_version +
                           "; --from-version " + from_version + " matches neither",
                       "run `stella evidence migrate --rollback --from-version " + store_version +
                           "` to undo it");
    }
    if (to_version && *to_version != unfinished->from_version &&
        unfinished->kind == RunKind::migrate) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "rolling back the unfinished run " + std::to_string(unfinished->run_id) +
                           " returns the store to " + unfinished->from_version + ", not " +
                           *to_version,
                       "leave out --to-version, or name " + unfinished->from_version);
    }
    RunRecord run = *unfinished;
    if (run.kind == RunKind::migrate && run.status == RunStatus::running) {
      // The interrupted migration is undone instead of continued.
      run.status = RunStatus::rolling_back;
      run.reason = reason;
    }
    return continue_run(
        driver, run,
        "rollback of the unfinished run requested by " + context.globals.operator_name);
  }

  if (store_version != from_version) {
    // Suggest the store's own version only when a rollback from it could run.
    const bool undoable =
        read_last_completed_migration(driver.control(), store_version).has_value();
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store is at schema " + store_version + ", not " + from_version +
                         " as --from-version says; nothing was changed",
                     undoable ? "name the store's version: `stella evidence migrate --rollback "
                                "--from-version " +
                                    store_version + "`"
                              : "there is nothing to roll back: no completed migration to schema " +
                                    store_version +
                                    " is recorded (the store was created at it, or its migration "
                                    "was already rolled back); `stella evidence migrate --status` "
                                    "shows the store's runs");
  }
  const auto migration = read_last_completed_migration(driver.control(), store_version);
  if (!migration) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "no completed migration to schema " + store_version +
                         " is recorded for this store (it was created at " + store_version +
                         ", or its migration was already rolled back); there is no earlier "
                         "version to return to",
                     "`stella evidence migrate --status` shows the runs this store has seen");
  }
  if (to_version && *to_version != migration->from_version) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the last migration to " + store_version + " (run " +
                         std::to_string(migration->run_id) + ") started from " +
                         migration->from_version + ", so a rollback returns to " +
                         migration->from_version + ", not " + *to_version,
                     "leave out --to-version, or name " + migration->from_version);
  }

  std::vector<PlannedStep> planned = planned_steps_of(*migration);
  std::reverse(planned.begin(), planned.end());
  std::vector<LoadedStep> steps =
      load_planned_steps(context.registry, planned,
                         "the migration it undoes (run " + std::to_string(migration->run_id) + ")");

  StoreState current;
  {
    PgTransaction transaction(driver.work());
    current = capture_store_state(driver.work());
  }
  const StoreState after_migration =
      store_state_from_json_text(migration->store_after_json.value_or("{}"),
                                 "run " + std::to_string(migration->run_id) + " store_after");
  if (!after_migration.algorithm.empty() && current.algorithm != after_migration.algorithm) {
    // A reindex since the migration is not evidence that changed: say what it is, and why the
    // rollback cannot carry it, rather than list every root as different.
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store was reindexed to " + current.algorithm + " since run " +
                         std::to_string(migration->run_id) + " finished (its roots then were " +
                         after_migration.algorithm + "); a rollback to " + migration->from_version +
                         " would drop that digest generation, which the older schema has no "
                         "place for; nothing was changed",
                     "keep the store at " + store_version +
                         " (its evidence is unchanged: `stella evidence verify-continuity` proves "
                         "the move), or restore the pre-migration backup (runbook: \"Restore from "
                         "Backup\")");
  }
  const std::vector<std::string> differences = store_root_differences(after_migration, current);
  if (!differences.empty()) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the evidence changed since run " + std::to_string(migration->run_id) +
                         " finished (" + joined(differences) +
                         "), so a rollback could not restore the roots recorded before it; "
                         "nothing was changed",
                     "keep the store at " + store_version +
                         ", or restore the pre-migration backup (runbook: \"Restore from "
                         "Backup\")");
  }
  driver.start_rollback(*migration, std::move(steps), current, reason);
  return driver.drive_rollback_run(reason);
}

}  // namespace stella::host
