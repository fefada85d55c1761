// Drawing progress on stderr.
#include "evidence/progress_meter.hpp"

#include <unistd.h>

#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "core/json_event_line.hpp"

namespace stella::host {
namespace {

constexpr int kBarWidth = 30;
constexpr int kDeciles = 10;
constexpr auto kBarInterval = std::chrono::milliseconds(100);
/// Plain lines come at each tenth of the work, or at least this often when the total is unknown.
constexpr auto kLineInterval = std::chrono::seconds(5);
constexpr double kPercent = 100.0;
constexpr double kMillisecondsPerSecond = 1000.0;

}  // namespace

ProgressMeter::ProgressMeter(std::ostream& err, const GlobalOptions& globals, std::string task,
                             std::string unit, std::int64_t total)
    : err_(err),
      style_(Style::lines),
      task_(std::move(task)),
      unit_(std::move(unit)),
      total_(total),
      started_(std::chrono::steady_clock::now()),
      last_emit_(started_) {
  if (globals.quiet) {
    style_ = Style::silent;
  } else if (globals.progress_format == "json") {
    style_ = Style::json;
  } else if (globals.progress_format == "auto" && ::isatty(STDERR_FILENO) == 1) {
    style_ = Style::bar;
  }
}

void ProgressMeter::update(std::int64_t done) {
  done_ = done;
  if (style_ == Style::silent) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (style_ == Style::bar) {
    if (now - last_emit_ >= kBarInterval) {
      last_emit_ = now;
      emit(false);
    }
    return;
  }
  const int decile = total_ > 0 ? static_cast<int>(done_ * kDeciles / total_) : -1;
  if ((total_ > 0 && decile != last_decile_) || now - last_emit_ >= kLineInterval) {
    last_decile_ = decile;
    last_emit_ = now;
    emit(false);
  }
}

void ProgressMeter::finish() {
  // A line for the final count unless the last line already showed it.
  if (style_ != Style::silent && (style_ == Style::bar || done_ != last_emitted_done_)) {
    emit(true);
  }
}

void ProgressMeter::emit(bool final) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double rate = seconds > 0 ? static_cast<double>(done_ - baseline_) / seconds : 0.0;
  const double percent =
      total_ > 0 ? kPercent * static_cast<double>(done_) / static_cast<double>(total_) : 0.0;
  last_emitted_done_ = done_;
  std::ostringstream line;
  line << std::fixed;
  switch (style_) {
    case Style::silent:
      return;
    case Style::json:
      line << json_event_line("progress", task_, [&](auto& event, auto& allocator) {
        event.AddMember("unit", rapidjson::Value(unit_.c_str(), allocator), allocator);
        event.AddMember("done", done_, allocator);
        event.AddMember("total", total_, allocator);
        event.AddMember("elapsedSeconds",
                        std::round(seconds * kMillisecondsPerSecond) / kMillisecondsPerSecond,
                        allocator);
        event.AddMember("final", final, allocator);
      });
      break;
    case Style::bar: {
      const int filled = total_ > 0 ? static_cast<int>(kBarWidth * done_ / total_) : 0;
      line << '\r' << task_ << " [" << std::string(static_cast<std::size_t>(filled), '#')
           << std::string(static_cast<std::size_t>(kBarWidth - filled), '.') << "] "
           << std::setprecision(1) << percent << "% " << done_ << '/' << total_ << ' ' << unit_
           << ' ' << std::setprecision(0) << rate << '/' << 's' << (final ? "\n" : "");
      break;
    }
    case Style::lines:
      line << task_ << ": " << done_ << '/' << total_ << ' ' << unit_ << " ("
           << std::setprecision(1) << percent << "%, " << std::setprecision(0) << rate << ' '
           << unit_ << "/s)\n";
      break;
  }
  err_ << line.str() << std::flush;
}

}  // namespace stella::host
