// The HostContext importer plugins run with: their log lines and progress go to stderr (plain
// lines at most once a second; nothing with --quiet). No cancellation source is wired yet, so
// cancelled() is false.
#pragma once

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
  ImporterContext(std::ostream& err, bool quiet);
  void set_task(std::string task);

  void log(sdk::LogLevel level, std::string_view message) noexcept override;
  void progress(std::uint64_t done, std::uint64_t total) noexcept override;
  bool cancelled() const noexcept override { return false; }

 private:
  std::ostream& err_;
  bool quiet_;
  std::mutex mutex_;
  std::string task_;
  std::chrono::steady_clock::time_point last_report_;
};

}  // namespace stella::host
