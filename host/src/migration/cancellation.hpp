// Operator cancellation of a run: SIGINT and SIGTERM ask the running step to stop at its next
// batch boundary (StepContext::cancelled), and the run then rolls back like any failure. SIGKILL
// cannot be caught: the run is left interrupted, and `migrate --resume` continues it.
#pragma once

#include <atomic>
#include <csignal>

namespace stella::host {

/// What a second SIGINT or SIGTERM does while the flag is already set. Zero is not a valid value.
enum class RepeatedSignal {
  /// Sets the flag again (a migration: the first stops the step, the second its rollback).
  sets_flag_again = 1,
  /// Ends the process as the signal's default action would. The first signal then also tells the
  /// operator so on stderr: work that waits on a lock or a slow server may take a while to reach
  /// its next check, and the operator must not be left with a Ctrl-C that does nothing.
  ends_process = 2
};

/// While alive, SIGINT and SIGTERM set `flag` (cleared on entry), and with `ignore_broken_pipe`
/// SIGPIPE is ignored, so that output piped into a reader that went away does not kill the process
/// before it cleaned up. The previous handlers and flag come back afterwards, so scopes nest: a
/// signal sets the flag of the innermost scope only.
/// Thread-safety: scopes are entered and left by one thread, innermost first out.
class SignalFlagScope {
 public:
  SignalFlagScope(std::atomic<bool>& flag, bool ignore_broken_pipe,
                  RepeatedSignal repeated = RepeatedSignal::sets_flag_again);
  ~SignalFlagScope();
  SignalFlagScope(const SignalFlagScope&) = delete;
  SignalFlagScope& operator=(const SignalFlagScope&) = delete;

 private:
  std::atomic<bool>* previous_flag_ = nullptr;
  bool previous_repeat_ends_ = false;
  bool ignore_broken_pipe_ = false;
  struct sigaction previous_interrupt_ {};
  struct sigaction previous_terminate_ {};
  struct sigaction previous_pipe_ {};
};

/// Installs the handlers for its lifetime and restores the previous ones afterwards.
class CancellationScope {
 public:
  CancellationScope();

 private:
  SignalFlagScope signals_;
};

/// True once SIGINT or SIGTERM arrived inside a CancellationScope.
bool cancellation_requested();

/// Forgets an earlier request: the rollback that follows a cancelled step must not be cancelled by
/// the same signal (a second signal during the rollback does cancel it).
void reset_cancellation();

}  // namespace stella::host
