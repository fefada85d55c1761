// Operator cancellation of a run: SIGINT and SIGTERM ask the running step to stop at its next
// batch boundary (StepContext::cancelled), and the run then rolls back like any failure. SIGKILL
// cannot be caught: the run is left interrupted, and `migrate --resume` continues it.
#pragma once

#include <csignal>

namespace stella::host {

/// Installs the handlers for its lifetime and restores the previous ones afterwards.
/// Thread-safety: one scope at a time per process.
class CancellationScope {
 public:
  CancellationScope();
  ~CancellationScope();
  CancellationScope(const CancellationScope&) = delete;
  CancellationScope& operator=(const CancellationScope&) = delete;

 private:
  struct sigaction previous_interrupt_ {};
  struct sigaction previous_terminate_ {};
};

/// True once SIGINT or SIGTERM arrived inside a CancellationScope.
bool cancellation_requested();

/// Forgets an earlier request: the rollback that follows a cancelled step must not be cancelled by
/// the same signal (a second signal during the rollback does cancel it).
void reset_cancellation();

}  // namespace stella::host
