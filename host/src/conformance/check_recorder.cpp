#include "conformance/check_recorder.hpp"

#include <ostream>

#include "conformance/check_watchdog.hpp"
#include "conformance/interruption.hpp"
#include "migration/cancellation.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

CheckRecorder::CheckRecorder(ConformanceReport& report, std::ostream& progress,
                             const GlobalOptions& globals)
    : report_(report),
      progress_(progress),
      quiet_(globals.quiet),
      json_lines_(globals.progress_format == "json") {}

void CheckRecorder::pass(std::string name, std::string summary) {
  note(name + ": PASS");
  record({std::move(name), CheckStatus::pass, std::move(summary), {}, {}, {}});
}

void CheckRecorder::fail(std::string name, std::string summary, std::string expected,
                         std::string found, std::vector<std::string> details) {
  note(name + ": FAIL");
  record({std::move(name), CheckStatus::fail, std::move(summary), std::move(expected),
          std::move(found), std::move(details)});
}

void CheckRecorder::skip(std::string name, std::string reason) {
  note(name + ": SKIP");
  record({std::move(name), CheckStatus::skip, std::move(reason), {}, {}, {}});
}

void CheckRecorder::record(ConformanceCheck check) {
  const std::lock_guard<std::mutex> lock(mutex_);
  report_.checks.push_back(std::move(check));
}

ConformanceReport CheckRecorder::snapshot() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return report_;
}

void CheckRecorder::note(std::string_view line) {
  if (watchdog_ != nullptr) {
    watchdog_->progress(std::string(line));
  }
  // Notes come between the phases: the safe points to stop at after SIGINT or SIGTERM (the
  // throwaway cluster is stopped and removed while the exception unwinds).
  // A signal during a migration run lands in the migration's own flag (its handlers are installed
  // for the run's length); one the run did not act on is still there.
  if (interruption_requested() || cancellation_requested()) {
    throw sdk::Error(sdk::ErrorCode::cancelled,
                     "stella plugins test was interrupted; the throwaway cluster is stopped and "
                     "removed",
                     "run it again when ready");
  }
  if (quiet_) {
    return;
  }
  if (json_lines_) {
    rapidjson::Document event(rapidjson::kObjectType);
    auto& a = event.GetAllocator();
    event.AddMember("event", "progress", a);
    event.AddMember("task", "plugins test", a);
    event.AddMember("message",
                    rapidjson::Value(line.data(), static_cast<rapidjson::SizeType>(line.size()), a),
                    a);
    progress_ << json_to_string(event, JsonLayout::compact) << '\n' << std::flush;
    return;
  }
  progress_ << "stella plugins test: " << line << '\n' << std::flush;
}

void stop_if_interrupted(const std::exception& error) {
  const auto* sdk_error = dynamic_cast<const sdk::Error*>(&error);
  if (sdk_error != nullptr && sdk_error->code() == sdk::ErrorCode::cancelled) {
    throw sdk::Error(
        sdk::ErrorCode::cancelled,
        std::string("stella plugins test stopped: the host's run ended as cancelled (") +
            error.what() + "); the throwaway cluster is stopped and removed",
        "run it again when ready; if nobody interrupted it, the plugin reported "
        "'cancelled' without StepContext::cancelled() asking it to");
  }
}

bool CheckRecorder::failed(std::string_view name) const {
  for (const ConformanceCheck& check : report_.checks) {
    if (check.name == name && check.status == CheckStatus::fail) {
      return true;
    }
  }
  return false;
}

}  // namespace stella::host
