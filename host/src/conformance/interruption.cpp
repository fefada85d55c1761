#include "conformance/interruption.hpp"

namespace stella::host {
namespace {

std::atomic<bool> interruption{false};

}  // namespace

InterruptionScope::InterruptionScope() : signals_(interruption, true) {}

bool interruption_requested() {
  return interruption.load();
}

}  // namespace stella::host
