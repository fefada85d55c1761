#include "migration/cancellation.hpp"

namespace stella::host {
namespace {

/// The flag of the innermost SignalFlagScope; a lock-free atomic pointer, so the handler may read
/// it.
std::atomic<std::atomic<bool>*> signalled_flag{nullptr};

std::atomic<bool> cancellation{false};

extern "C" void set_signalled_flag(int /*signal*/) {
  if (std::atomic<bool>* flag = signalled_flag.load()) {
    flag->store(true);
  }
}

}  // namespace

SignalFlagScope::SignalFlagScope(std::atomic<bool>& flag, bool ignore_broken_pipe)
    : previous_flag_(signalled_flag.exchange(&flag)), ignore_broken_pipe_(ignore_broken_pipe) {
  flag.store(false);
  struct sigaction action {};
  action.sa_handler = set_signalled_flag;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_interrupt_);
  sigaction(SIGTERM, &action, &previous_terminate_);
  if (ignore_broken_pipe_) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &previous_pipe_);
  }
}

SignalFlagScope::~SignalFlagScope() {
  sigaction(SIGINT, &previous_interrupt_, nullptr);
  sigaction(SIGTERM, &previous_terminate_, nullptr);
  if (ignore_broken_pipe_) {
    sigaction(SIGPIPE, &previous_pipe_, nullptr);
  }
  signalled_flag.store(previous_flag_);
}

CancellationScope::CancellationScope() : signals_(cancellation, false) {}

bool cancellation_requested() {
  return cancellation.load();
}

void reset_cancellation() {
  cancellation.store(false);
}

}  // namespace stella::host
