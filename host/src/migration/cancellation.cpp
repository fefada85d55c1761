#include "migration/cancellation.hpp"

#include <unistd.h>

#include <csignal>

namespace stella::host {
namespace {

/// The flag of the innermost SignalFlagScope; a lock-free atomic pointer, so the handler may read
/// it.
std::atomic<std::atomic<bool>*> signalled_flag{nullptr};

/// Whether the innermost scope ends the process on a repeated signal (RepeatedSignal).
std::atomic<bool> repeat_ends_process{false};

std::atomic<bool> cancellation{false};

constexpr char kStoppingNote[] =
    "\nstella: stopping at the next safe point; send the signal again (Ctrl-C) to stop at once\n";
// A migration's signals each set the flag: the first stops the step (and the run rolls back), the
// one during that rollback stops it too. A step may take a while to reach its next batch, so the
// operator hears at once that the signal arrived and what it does.
constexpr char kRunStoppingNote[] =
    "\nstella: signal received; the run stops at its next batch boundary (a migration is then "
    "rolled back; a signal during a rollback leaves it for `stella evidence migrate --resume`)\n";

// Only async-signal-safe calls here: atomics, write, signal, raise.
extern "C" void set_signalled_flag(int signal_number) {
  std::atomic<bool>* flag = signalled_flag.load();
  if (flag == nullptr) {
    return;
  }
  if (repeat_ends_process.load()) {
    if (flag->load()) {
      std::signal(signal_number, SIG_DFL);
      std::raise(signal_number);
      return;
    }
    const ssize_t ignored = ::write(STDERR_FILENO, kStoppingNote, sizeof kStoppingNote - 1);
    static_cast<void>(ignored);
  } else if (!flag->load()) {
    const ssize_t ignored = ::write(STDERR_FILENO, kRunStoppingNote, sizeof kRunStoppingNote - 1);
    static_cast<void>(ignored);
  }
  flag->store(true);
}

}  // namespace

SignalFlagScope::SignalFlagScope(std::atomic<bool>& flag, bool ignore_broken_pipe,
                                 RepeatedSignal repeated)
    : previous_flag_(signalled_flag.exchange(&flag)),
      previous_repeat_ends_(repeat_ends_process.exchange(repeated == RepeatedSignal::ends_process)),
      ignore_broken_pipe_(ignore_broken_pipe) {
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
  repeat_ends_process.store(previous_repeat_ends_);
  signalled_flag.store(previous_flag_);
}

// SIGPIPE ignored: a run whose log reader went away (`2>&1 | head`) finishes, instead of dying
// mid-batch and leaving an interrupted run.
CancellationScope::CancellationScope() : signals_(cancellation, /*ignore_broken_pipe=*/true) {}

bool cancellation_requested() {
  return cancellation.load();
}

void reset_cancellation() {
  cancellation.store(false);
}

}  // namespace stella::host
