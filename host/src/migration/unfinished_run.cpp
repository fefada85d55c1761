#include "stella/host/migration/unfinished_run.hpp"

namespace stella::host {
namespace {

/// The step the run stopped in. A migration going up: its first step that is not completed. A run
/// rolling back (a migration's rollback, or a rollback run): the step being undone, else the next
/// one its rollback will undo.
const RunStepRecord* current_step(const RunRecord& run) {
  const bool undoing_migration = run.kind == RunKind::migrate && run.status != RunStatus::running;
  if (undoing_migration) {
    for (auto step = run.steps.rbegin(); step != run.steps.rend(); ++step) {
      if (step->state != StepState::pending && step->state != StepState::rolled_back) {
        return &*step;
      }
    }
    return nullptr;
  }
  for (const RunStepRecord& step : run.steps) {
    if (step.state != StepState::completed) {
      return &step;
    }
  }
  return nullptr;
}

std::string batches_text(const std::optional<CheckpointRecord>& checkpoint) {
  const std::int64_t batches = checkpoint ? checkpoint->batches : 0;
  return std::to_string(batches) + (batches == 1 ? " batch" : " batches") + " committed";
}

bool is_rolling_back(const RunRecord& run) {
  return run.kind == RunKind::rollback || run.status != RunStatus::running;
}

}  // namespace

std::string describe_unfinished_run(const RunRecord& run) {
  return "run " + std::to_string(run.run_id) + " (" + std::string(run_kind_name(run.kind)) + " " +
         run.from_version + " \u2192 " + run.to_version + ", " +
         std::string(run_status_name(run.status)) + ", started " + run.started_at + " by " +
         run.operator_name + (run.client_host.empty() ? "" : " on " + run.client_host) + ")";
}

std::string describe_run_position(const RunRecord& run) {
  const RunStepRecord* step = current_step(run);
  if (step == nullptr) {
    return run.steps.empty() ? std::string()
                             : "after its last step, before its roots check had finished";
  }
  const bool down = is_rolling_back(run);
  const std::string label = step->plugin_id + " " + step->plugin_version + ", " +
                            step->from_version + " \u2192 " + step->to_version + ", " +
                            (down ? "down" : "up");
  const bool started = step->state != StepState::pending && step->state != StepState::completed;
  return std::string(started ? "in" : "before") + " step " + std::to_string(step->ordinal) +
         " of " + std::to_string(run.steps.size()) + " (" + label + ", " +
         batches_text(down ? step->down_checkpoint : step->up_checkpoint) + ")";
}

std::string rollback_from_version(const RunRecord& run,
                                  const std::optional<std::string>& store_version) {
  if (run.kind == RunKind::migrate) {
    return run.to_version;
  }
  return store_version.value_or(run.from_version);
}

std::string unfinished_run_remedy(const RunRecord& run,
                                  const std::optional<std::string>& store_version) {
  const std::string rollback = "`stella evidence migrate --rollback --from-version " +
                               rollback_from_version(run, store_version) + "`";
  if (is_rolling_back(run)) {
    return "finish its rollback with `stella evidence migrate --resume` (" + rollback +
           " does the same)";
  }
  return "continue it with `stella evidence migrate --resume`, or undo it with " + rollback;
}

}  // namespace stella::host
