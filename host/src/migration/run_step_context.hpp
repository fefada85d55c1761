// The StepContext a schema step sees: the work connection inside the host's transaction, the
// operator's batch size, the checkpoint to resume after, and commit_batch, which commits the
// batch together with its checkpoint in the state schema and opens the next transaction. Planning
// (dry-run) uses the same class with no run: committing is then refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "migration/run_reporter.hpp"
#include "stella/host/migration/fault_hook.hpp"
#include "stella/host/migration/run_journal.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/context.hpp"

namespace stella::host {

/// What ties the context to a recorded run.
struct RunStepBinding {
  std::int64_t run_id = 0;
  int ordinal = 0;
  std::string plugin_id;
  StepDirection direction = StepDirection::up;
  /// Where to resume, and how many batches were already committed in this direction.
  std::optional<CheckpointRecord> resume;
  const FaultHook* faults = nullptr;
  /// The server pid of the run's lock connection: each batch commits only while it holds the lock.
  int lock_backend_pid = 0;
};

class RunStepContext final : public sdk::StepContext {
 public:
  /// For plan(): no run, no commits.
  RunStepContext(PgConnection& work, std::int64_t batch_size, RunReporter& reporter,
                 std::optional<int> ordinal);
  /// For up() and down() of a run's step.
  RunStepContext(PgConnection& work, std::int64_t batch_size, RunReporter& reporter,
                 RunStepBinding binding, std::string progress_label);

  sdk::Database& database() override { return work_; }
  std::int64_t batch_size() const noexcept override { return batch_size_; }
  std::optional<std::string> resume_checkpoint() const override;
  void commit_batch(std::string_view checkpoint) override;

  void log(sdk::LogLevel level, std::string_view message) noexcept override;
  void progress(std::uint64_t done, std::uint64_t total) noexcept override;
  bool cancelled() const noexcept override;

  /// Batches committed in this direction so far (resumed ones included).
  std::int64_t batches() const { return batches_; }

 private:
  PgConnection& work_;
  std::int64_t batch_size_;
  RunReporter& reporter_;
  std::optional<int> ordinal_;
  std::optional<RunStepBinding> binding_;
  std::string progress_label_;
  std::int64_t batches_ = 0;
};

}  // namespace stella::host
