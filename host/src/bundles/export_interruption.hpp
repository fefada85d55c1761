// Ctrl-C or SIGTERM during `stella evidence export`. The bundle is written into a staging file or
// directory beside --output and renamed into place only when complete, so an interrupted export
// never leaves a partial bundle at --output; but killed by the signal's default action, it would
// leave the staging behind — gigabytes of hidden files on the backup volume. While an
// ExportInterruption is alive the signals are caught instead: the export stops at its next
// bundle, its staging is removed as for any failure, and nothing is recorded.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "migration/cancellation.hpp"

namespace stella::host {

class ExportInterruption {
 public:
  ExportInterruption();
  ExportInterruption(const ExportInterruption&) = delete;
  ExportInterruption& operator=(const ExportInterruption&) = delete;

  /// `progress` (may be empty) behind a check: it throws sdk::Error(cancelled) once SIGINT or
  /// SIGTERM arrived. The export calls it after each bundle.
  std::function<void(std::int64_t, std::int64_t)> guard(
      std::function<void(std::int64_t, std::int64_t)> progress);

  /// Throws sdk::Error(cancelled) naming how far the export came (`done` of `total` bundles) once
  /// SIGINT or SIGTERM arrived.
  void check(std::int64_t done, std::int64_t total) const;

 private:
  std::atomic<bool> requested_{false};
  SignalFlagScope signals_;
};

}  // namespace stella::host
