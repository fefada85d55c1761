#include "migration/run_step_context.hpp"

#include "migration/cancellation.hpp"
#include "stella/host/migration/migration_lock.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

RunStepContext::RunStepContext(PgConnection& work, std::int64_t batch_size, RunReporter& reporter,
                               std::optional<int> ordinal)
    : work_(work), batch_size_(batch_size), reporter_(reporter), ordinal_(ordinal) {}

RunStepContext::RunStepContext(PgConnection& work, std::int64_t batch_size, RunReporter& reporter,
                               RunStepBinding binding, std::string progress_label)
    : work_(work),
      batch_size_(batch_size),
      reporter_(reporter),
      ordinal_(binding.ordinal),
      binding_(std::move(binding)),
      progress_label_(std::move(progress_label)),
      batches_(binding_->resume ? binding_->resume->batches : 0) {}

std::optional<std::string> RunStepContext::resume_checkpoint() const {
  if (!binding_ || !binding_->resume) {
    return std::nullopt;
  }
  return binding_->resume->checkpoint;
}

void RunStepContext::commit_batch(std::string_view checkpoint) {
  if (!binding_) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "a schema step called commit_batch while planning; plan() must not change "
                     "the store",
                     "this is a bug in the plugin: report it to its authors");
  }
  if (checkpoint.empty()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "a schema step committed a batch with an empty checkpoint; a resumed run "
                     "could not tell where to continue",
                     "this is a bug in the plugin: report it to its authors");
  }
  const std::int64_t batch = batches_ + 1;
  if (binding_->faults != nullptr) {
    binding_->faults->fire(
        binding_->plugin_id,
        fault_point::mid_batch(binding_->direction == StepDirection::down, batch));
  }
  record_checkpoint(work_, binding_->run_id, binding_->ordinal, binding_->direction, checkpoint,
                    batch);
  require_migration_lock_held(work_, binding_->lock_backend_pid);
  work_.commit();
  batches_ = batch;
  work_.begin();
}

void RunStepContext::log(sdk::LogLevel level, std::string_view message) noexcept {
  reporter_.log(level, ordinal_, message);
}

void RunStepContext::progress(std::uint64_t done, std::uint64_t total) noexcept {
  if (binding_) {
    reporter_.progress(progress_label_, done, total);
  }
}

bool RunStepContext::cancelled() const noexcept {
  return cancellation_requested();
}

}  // namespace stella::host
