#include "stella/host/migration/fault_hook.hpp"

#include <cstdlib>
#include <regex>

#include "stella/sdk/error.hpp"

namespace stella::host {

namespace fault_point {
std::string mid_batch(bool down, std::int64_t batch_number) {
  return std::string(down ? "mid-down-batch:" : "mid-batch:") + std::to_string(batch_number);
}
}  // namespace fault_point

FaultHook FaultHook::from_environment() {
  const char* value = std::getenv(kTestFaultVariable);
  return from_text(value == nullptr ? "" : value);
}

FaultHook FaultHook::from_text(std::string_view text) {
  static const std::regex fault_pattern(
      R"(([a-z0-9][a-z0-9.-]*):(before-up|after-up|before-verify|after-verify|before-down|)"
      R"(after-down|before-complete|mid-batch:[1-9][0-9]*|mid-down-batch:[1-9][0-9]*))");
  FaultHook hook;
  hook.text_ = std::string(text);
  if (text.empty()) {
    return hook;
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string item(
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    std::smatch match;
    if (!std::regex_match(item, match, fault_pattern)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       std::string(kTestFaultVariable) + " item '" + item +
                           "' is not <plugin id>:<point> with a known point (before-up, "
                           "mid-batch:<n>, after-up, before-verify, after-verify, before-down, "
                           "mid-down-batch:<n>, after-down, run:before-complete)",
                       "this variable is for tests only (docs/migration.md); unset it to run "
                       "normally");
    }
    hook.faults_.emplace_back(match[1].str(), match[2].str());
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return hook;
}

void FaultHook::fire(std::string_view plugin_id, std::string_view point) const {
  for (const auto& [armed_plugin, armed_point] : faults_) {
    if (armed_plugin == plugin_id && armed_point == point) {
      throw sdk::Error(
          sdk::ErrorCode::internal,
          "injected test fault at " + std::string(plugin_id) + ":" + std::string(point) + " (" +
              kTestFaultVariable + ")",
          std::string("unset ") + kTestFaultVariable + "; it exists only for the test suite");
    }
  }
}

}  // namespace stella::host
