// What --output holds when verify-continuity reaches no verdict (a refused or malformed request, a
// lost connection). The runbook checks the report with `grep -q FAIL`; a refusal that left the
// file alone would leave an earlier run's PASS report there, or no file, and the check would pass.
#pragma once

#include <string>

#include "stella/host/continuity/continuity_report_output.hpp"

namespace stella::host {

/// The document for `format`: it says FAIL (no verdict), the error and what to do, and nothing
/// about the evidence. Text and HTML are for people and the runbook's grep; JSON is one object
/// {"kind": "stella-continuity-no-verdict", "result": "fail", "error", "hint"} (not a report:
/// a consumer that validates against continuity-report.schema.json rejects it, as it should).
std::string no_verdict_report(ContinuityFormat format, const std::string& error,
                              const std::string& hint);

}  // namespace stella::host
