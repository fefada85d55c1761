#include "conformance/check_recorder.hpp"

#include <ostream>

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
  report_.checks.push_back({std::move(name), CheckStatus::pass, std::move(summary), {}, {}, {}});
}

void CheckRecorder::fail(std::string name, std::string summary, std::string expected,
                         std::string found, std::vector<std::string> details) {
  note(name + ": FAIL");
  report_.checks.push_back({std::move(name), CheckStatus::fail, std::move(summary),
                            std::move(expected), std::move(found), std::move(details)});
}

void CheckRecorder::skip(std::string name, std::string reason) {
  note(name + ": SKIP");
  report_.checks.push_back({std::move(name), CheckStatus::skip, std::move(reason), {}, {}, {}});
}

void CheckRecorder::note(std::string_view line) {
  // Notes come between the phases: the safe points to stop at after SIGINT or SIGTERM (the
  // throwaway cluster is stopped and removed while the exception unwinds).
  if (cancellation_requested()) {
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

bool CheckRecorder::failed(std::string_view name) const {
  for (const ConformanceCheck& check : report_.checks) {
    if (check.name == name && check.status == CheckStatus::fail) {
      return true;
    }
  }
  return false;
}

}  // namespace stella::host
