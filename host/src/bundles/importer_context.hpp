// The HostContext importer plugins run with. Their log lines, their progress and the command's own
// notes go to stderr as the global options say: plain lines (progress at most once a second), one
// JSON object per line with --progress-format json, nothing but warnings and errors with --quiet.
// cancelled() is true once the flag it is given is set (the commands set it on SIGINT and
// SIGTERM); without one it is always false.
#pragma once

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <mutex>
#include <string>

#include "stella/host/cli/global_options.hpp"
#include "stella/sdk/context.hpp"

namespace stella::host {

/// Thread-safety: log(), progress(), note() and cancelled() may be called from any thread.
class ImporterContext final : public sdk::HostContext {
 public:
  /// `cancel` (may be null; outlives the context) is the flag cancelled() reports.
  ImporterContext(std::ostream& err, const GlobalOptions& globals,
                  const std::atomic<bool>* cancel = nullptr);
  /// `task` names the work in progress lines and notes ("import", "verify-bundle /backup/…").
  void set_task(std::string task);

  void log(sdk::LogLevel level, std::string_view message) noexcept override;
  void progress(std::uint64_t done, std::uint64_t total) noexcept override;
  bool cancelled() const noexcept override;
  /// True once cancelled() answered true: whoever asked stopped because of it.
  bool cancellation_seen() const noexcept { return cancellation_seen_.load(); }
  /// A step of the command's own ("building the keys of the loaded rows"), as "task: line".
  void note(const std::string& line) noexcept;

 private:
  std::ostream& err_;
  const bool quiet_;
  const bool json_;
  const std::atomic<bool>* cancel_;
  const std::chrono::milliseconds test_delay_;
  mutable std::atomic<bool> cancellation_seen_{false};
  std::mutex mutex_;
  std::string task_;
  std::chrono::steady_clock::time_point last_report_;
};

}  // namespace stella::host
