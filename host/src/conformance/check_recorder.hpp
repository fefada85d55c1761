// How the checks of `stella plugins test` record their results, and say on stderr what they are
// doing while the slow parts run.
#pragma once

#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/cli/global_options.hpp"
#include "stella/host/conformance/conformance_report.hpp"

namespace stella::host {

class CheckWatchdog;

/// Thread-safety: the checks record from one thread; snapshot() may be called from another (the
/// watchdog's, when a plugin hangs).
class CheckRecorder {
 public:
  /// Progress goes to `progress`: plain lines, or JSON lines with --progress-format json, nothing
  /// with --quiet.
  CheckRecorder(ConformanceReport& report, std::ostream& progress, const GlobalOptions& globals);

  void pass(std::string name, std::string summary);
  void fail(std::string name, std::string summary, std::string expected, std::string found,
            std::vector<std::string> details = {});
  void skip(std::string name, std::string reason);
  /// A progress line ("stella plugins test: seeding the throwaway store"). Throws
  /// sdk::Error(cancelled) once SIGINT or SIGTERM arrived.
  void note(std::string_view line);

  /// True when the check `name` was recorded and failed.
  bool failed(std::string_view name) const;
  ConformanceReport& report() { return report_; }
  /// A copy of the report as recorded so far.
  ConformanceReport snapshot() const;
  /// Every result and progress line from now on also tells `watchdog` (nullptr: none).
  void watch_with(CheckWatchdog* watchdog) { watchdog_ = watchdog; }

 private:
  void record(ConformanceCheck check);

  mutable std::mutex mutex_;
  CheckWatchdog* watchdog_ = nullptr;
  ConformanceReport& report_;
  std::ostream& progress_;
  bool quiet_;
  bool json_lines_;
};

/// Throws sdk::Error(cancelled) when `error` is the host machinery's answer to SIGINT or SIGTERM
/// (a migration run or a reindex handles the signal itself and ends with a cancelled error): the
/// whole test stops then, instead of recording the interruption as the plugin's failure.
void stop_if_interrupted(const std::exception& error);

}  // namespace stella::host
