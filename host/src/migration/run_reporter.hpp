// Where a run reports what it does: stderr for the operator (unless --quiet), and the run log in
// the state schema, written on the connection that holds the migration lock so that lines about
// work that was rolled back are kept. Progress goes to stderr only.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/log_level_name.hpp"
#include "evidence/progress_meter.hpp"
#include "stella/host/cli/global_options.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/context.hpp"

namespace stella::host {

/// Thread-safety: one thread. Never throws from log(): a run log that cannot be written is said on
/// stderr and the run goes on (the state tables still record the run).
class RunReporter {
 public:
  RunReporter(std::ostream& err, const GlobalOptions& globals);

  /// From now on, lines also go to run `run_id`'s log through `connection`.
  void attach_run(PgConnection& connection, std::int64_t run_id);

  void log(sdk::LogLevel level, std::optional<int> ordinal, std::string_view message) noexcept;
  void info(std::string_view message) noexcept { log(sdk::LogLevel::info, std::nullopt, message); }
  void warning(std::string_view message) noexcept {
    log(sdk::LogLevel::warning, std::nullopt, message);
  }
  void error(std::string_view message) noexcept {
    log(sdk::LogLevel::error, std::nullopt, message);
  }

  /// Progress of the step `label` names; a new label starts a new meter.
  void progress(const std::string& label, std::uint64_t done, std::uint64_t total) noexcept;
  /// Ends the current meter's line.
  void finish_progress() noexcept;

 private:
  /// One line for --progress-format json: {"event":"log","task":"migrate","level":…,"run":…,
  /// "step":…,"message":…}.
  std::string json_log_line(sdk::LogLevel level, std::optional<int> ordinal,
                            std::string_view message) const;

  std::ostream& err_;
  const GlobalOptions& globals_;
  PgConnection* connection_ = nullptr;
  std::int64_t run_id_ = 0;
  /// Progress is drawn as a bar redrawn in place (ProgressMeter's terminal style).
  bool bar_on_terminal_ = false;
  std::string meter_label_;
  std::unique_ptr<ProgressMeter> meter_;
};

}  // namespace stella::host
