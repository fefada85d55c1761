#include "stella/host/conformance/conformance_report.hpp"

#include <algorithm>

namespace stella::host {

bool ConformanceReport::passed() const {
  return count(CheckStatus::fail) == 0;
}

int ConformanceReport::count(CheckStatus status) const {
  return static_cast<int>(
      std::count_if(checks.begin(), checks.end(),
                    [status](const ConformanceCheck& check) { return check.status == status; }));
}

const char* check_status_name(CheckStatus status) {
  switch (status) {
    case CheckStatus::pass:
      return "PASS";
    case CheckStatus::fail:
      return "FAIL";
    case CheckStatus::skip:
      return "SKIP";
  }
  return "SKIP";
}

}  // namespace stella::host
