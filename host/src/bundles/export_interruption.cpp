#include "bundles/export_interruption.hpp"

#include "core/test_delay.hpp"

#include <chrono>
#include <string>
#include <thread>

#include "stella/sdk/error.hpp"

namespace stella::host {

ExportInterruption::ExportInterruption()
    : signals_(requested_, /*ignore_broken_pipe=*/true, RepeatedSignal::ends_process) {}

std::function<void(std::int64_t, std::int64_t)> ExportInterruption::guard(
    std::function<void(std::int64_t, std::int64_t)> progress) {
  return [this, progress = std::move(progress),
          delay = test_delay_from_environment("STELLA_TEST_EXPORT_BUNDLE_DELAY_MS")](
             std::int64_t done, std::int64_t total) {
    if (delay.count() > 0) {
      std::this_thread::sleep_for(delay);
    }
    check(done, total);
    if (progress) {
      progress(done, total);
    }
  };
}

void ExportInterruption::check(std::int64_t done, std::int64_t total) const {
  if (requested_.load()) {
    throw sdk::Error(sdk::ErrorCode::cancelled,
                     "export interrupted (SIGINT or SIGTERM) after " + std::to_string(done) +
                         " of " + std::to_string(total) +
                         " bundles; the partial bundle was removed, nothing was written at "
                         "--output and nothing was recorded",
                     "run the export again when it can finish");
  }
}

}  // namespace stella::host
