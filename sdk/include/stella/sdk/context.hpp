// What the host provides to plugin code while it runs: logging, progress, cancellation, and for
// schema steps the database inside the host's transaction and batch checkpoints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stella/sdk/abi.hpp"
#include "stella/sdk/database.hpp"

STELLA_SDK_NAMESPACE_BEGIN

/// Severity of a log line. Zero is not a valid value.
enum class LogLevel : int { debug = 1, info = 2, warning = 3, error = 4 };

/// Host services every plugin kind may use.
///
/// Ownership: owned by the host, valid only for the duration of the call it is passed to.
/// Thread-safety: log(), progress() and cancelled() may be called from any thread.
/// Failure: these calls do not throw.
class HostContext {
 public:
  virtual ~HostContext() = default;

  /// Writes a line to the run's log (and to stderr when the operator asked for it).
  virtual void log(LogLevel level, std::string_view message) noexcept = 0;

  /// Reports progress of the current unit of work; total 0 means unknown.
  virtual void progress(std::uint64_t done, std::uint64_t total) noexcept = 0;

  /// True once the operator asked to stop (signal, deadline). Long loops check it and throw
  /// Error(ErrorCode::cancelled, ...) at a safe point.
  virtual bool cancelled() const noexcept = 0;
};

/// What a schema step sees while it plans, goes up, goes down or verifies.
///
/// Ownership: owned by the host, valid only during the call it is passed to.
/// Thread-safety: single-threaded; call only from the thread that called the plugin.
class StepContext : public HostContext {
 public:
  /// The database, inside the transaction the host opened for this step (or this batch).
  virtual Database& database() = 0;

  /// The batch size the operator chose (--batch-size), always at least 1.
  virtual std::int64_t batch_size() const noexcept = 0;

  /// The checkpoint of the last committed batch of this step in this run, if the run is being
  /// resumed after an interruption; nullopt when the step starts from the beginning.
  virtual std::optional<std::string> resume_checkpoint() const = 0;

  /// Commits the work done since the previous batch together with `checkpoint` (an opaque string
  /// the step can later read back through resume_checkpoint) and opens a new transaction.
  /// Throws Error when the commit fails or when a test fault is injected at this point; the host
  /// then rolls the run back.
  virtual void commit_batch(std::string_view checkpoint) = 0;
};

STELLA_SDK_NAMESPACE_END
