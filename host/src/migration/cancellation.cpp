#include "migration/cancellation.hpp"

#include <atomic>

namespace stella::host {
namespace {

std::atomic<bool> requested{false};

extern "C" void request_cancellation(int /*signal*/) {
  requested.store(true);
}

}  // namespace

CancellationScope::CancellationScope() {
  requested.store(false);
  struct sigaction action {};
  action.sa_handler = request_cancellation;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_interrupt_);
  sigaction(SIGTERM, &action, &previous_terminate_);
}

CancellationScope::~CancellationScope() {
  sigaction(SIGINT, &previous_interrupt_, nullptr);
  sigaction(SIGTERM, &previous_terminate_, nullptr);
}

bool cancellation_requested() {
  return requested.load();
}

void reset_cancellation() {
  requested.store(false);
}

}  // namespace stella::host
