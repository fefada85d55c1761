// The HostContext importer plugins run with: their log lines and progress go to stderr (plain
// lines at most once a second; nothing with --quiet). cancelled() is true once the flag it is
// given is set (the commands set it on SIGINT and SIGTERM); without one it is always false.
#pragma once

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <mutex>
#include <string>

#include "stella/sdk/context.hpp"

namespace stella::host {

/// Thread-safety: log() and progress() may be called from any thread.
class ImporterContext final : public sdk::HostContext {
 public:
  /// `task` prefixes progress lines ("verifying /backup/evidence-20260131").
  /// `cancel` (may be null; outlives the context) is the flag cancelled() reports.
  ImporterContext(std::ostream& err, bool quiet, const std::atomic<bool>* cancel = nullptr);
  void set_task(std::string task);

  void log(sdk::LogLevel level, std::string_view message) noexcept override;
  void progress(std::uint64_t done, std::uint64_t total) noexcept override;
  bool cancelled() const noexcept override;
  /// True once cancelled() answered true: whoever asked stopped because of it.
  bool cancellation_seen() const noexcept { return cancellation_seen_.load(); }

 private:
  std::ostream& err_;
  bool quiet_;
  const std::atomic<bool>* cancel_;
  const std::chrono::milliseconds test_delay_;
  mutable std::atomic<bool> cancellation_seen_{false};
  std::mutex mutex_;
  std::string task_;
  std::chrono::steady_clock::time_point last_report_;
};

}  // namespace stella::host
