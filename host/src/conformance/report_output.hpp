// `stella plugins test` output: one line per check for people, or the report as JSON
// (schemas/plugin-conformance-report.schema.json).
#pragma once

#include <iosfwd>

#include <rapidjson/document.h>

#include "stella/host/conformance/conformance_report.hpp"

namespace stella::host {

/// "PASS  name  summary" per check (with expected, found and details under a failure), then a
/// summary line.
void print_conformance_report(const ConformanceReport& report, std::ostream& out);

rapidjson::Document conformance_report_json(const ConformanceReport& report);

}  // namespace stella::host
