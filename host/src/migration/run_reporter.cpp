#include "migration/run_reporter.hpp"

#include <unistd.h>

#include <ostream>

#include "core/json_event_line.hpp"
#include "stella/host/migration/run_journal.hpp"

namespace stella::host {

RunReporter::RunReporter(std::ostream& err, const GlobalOptions& globals)
    : err_(err),
      globals_(globals),
      bar_on_terminal_(!globals.quiet && globals.progress_format == "auto" &&
                       ::isatty(STDERR_FILENO) == 1) {}

void RunReporter::attach_run(PgConnection& connection, std::int64_t run_id) {
  connection_ = &connection;
  run_id_ = run_id;
}

void RunReporter::log(sdk::LogLevel level, std::optional<int> ordinal,
                      std::string_view message) noexcept {
  try {
    const bool always = level == sdk::LogLevel::error || level == sdk::LogLevel::warning;
    const bool shown = level != sdk::LogLevel::debug && (always || !globals_.quiet);
    if (shown && globals_.progress_format == "json") {
      err_ << json_log_line(level, ordinal, message) << std::flush;
    } else if (shown) {
      if (meter_ && bar_on_terminal_) {
        err_ << '\n';  // the bar is redrawn below the line on its next update
      }
      err_ << "stella: ";
      if (run_id_ != 0) {
        err_ << "run " << run_id_ << ": ";
      }
      if (ordinal) {
        err_ << "step " << *ordinal << ": ";
      }
      if (level != sdk::LogLevel::info) {
        err_ << log_level_name(level) << ": ";
      }
      err_ << message << '\n' << std::flush;
    }
    if (connection_ != nullptr) {
      log_run_line(*connection_, run_id_, ordinal, log_level_name(level), message);
    }
  } catch (const std::exception& e) {
    // Once, not for every line after it: when the session is gone, each write fails alike.
    connection_ = nullptr;
    try {
      const std::string why = std::string("could not write the run log: ") + e.what() +
                              "; the rest of this run's messages are on stderr only";
      if (globals_.progress_format == "json") {
        err_ << json_log_line(sdk::LogLevel::warning, std::nullopt, why);
      } else {
        err_ << "stella: warning: " << why << '\n';
      }
    } catch (...) {
      // Nothing more can be said.
    }
  } catch (...) {
    // log() must not throw into plugin code.
  }
}

std::string RunReporter::json_log_line(sdk::LogLevel level, std::optional<int> ordinal,
                                       std::string_view message) const {
  return json_event_line("log", "migrate", [&](auto& event, auto& allocator) {
    event.AddMember("level", rapidjson::StringRef(log_level_name(level)), allocator);
    if (run_id_ != 0) {
      event.AddMember("run", run_id_, allocator);
    }
    if (ordinal) {
      event.AddMember("step", *ordinal, allocator);
    }
    event.AddMember("message",
                    rapidjson::Value(message.data(),
                                     static_cast<rapidjson::SizeType>(message.size()), allocator),
                    allocator);
  });
}

void RunReporter::progress(const std::string& label, std::uint64_t done,
                           std::uint64_t total) noexcept {
  try {
    if (!meter_ || label != meter_label_) {
      finish_progress();
      meter_ = std::make_unique<ProgressMeter>(err_, globals_, label, "rows",
                                               static_cast<std::int64_t>(total));
      // The first report comes after work the meter did not see (a batch, or a resumed run's
      // committed rows): counted as done, not as done in no time.
      meter_->start_from(static_cast<std::int64_t>(done));
      meter_label_ = label;
    }
    meter_->update(static_cast<std::int64_t>(done));
  } catch (...) {
    // Progress is a courtesy; it never stops a run.
  }
}

void RunReporter::finish_progress() noexcept {
  try {
    if (meter_) {
      meter_->finish();
      meter_.reset();
      meter_label_.clear();
    }
  } catch (...) {
    // See progress().
  }
}

}  // namespace stella::host
