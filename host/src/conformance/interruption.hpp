// Stopping `stella plugins test` cleanly: SIGINT and SIGTERM are noted and acted on at the next
// phase (the throwaway cluster is then stopped and removed while the error unwinds), and SIGPIPE
// (stdout or stderr piped into a reader that went away) no longer kills the process before it has
// cleaned up. A flag of its own: a migration run the checks drive installs and resets the
// migration's cancellation flag, which would otherwise swallow a signal that came just before.
#pragma once

#include "migration/cancellation.hpp"

namespace stella::host {

/// Installs the handlers for its lifetime and restores the previous ones afterwards.
class InterruptionScope {
 public:
  InterruptionScope();

 private:
  SignalFlagScope signals_;
};

/// True once SIGINT or SIGTERM arrived inside an InterruptionScope.
bool interruption_requested();

}  // namespace stella::host
