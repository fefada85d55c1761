#include "conformance/interruption.hpp"

#include <atomic>

namespace stella::host {
namespace {

std::atomic<bool> requested{false};

extern "C" void note_interruption(int /*signal*/) {
  requested.store(true);
}

}  // namespace

InterruptionScope::InterruptionScope() {
  requested.store(false);
  struct sigaction action {};
  action.sa_handler = note_interruption;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_interrupt_);
  sigaction(SIGTERM, &action, &previous_terminate_);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &previous_pipe_);
}

InterruptionScope::~InterruptionScope() {
  sigaction(SIGINT, &previous_interrupt_, nullptr);
  sigaction(SIGTERM, &previous_terminate_, nullptr);
  sigaction(SIGPIPE, &previous_pipe_, nullptr);
}

bool interruption_requested() {
  return requested.load();
}

}  // namespace stella::host
