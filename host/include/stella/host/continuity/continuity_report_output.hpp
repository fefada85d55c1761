// Rendering a continuity report: text for a terminal, JSON for scripts
// (schemas/continuity-report.schema.json), and one self-contained HTML page for people
// (docs/continuity-report.md). Failing records stream from the report's spool, so rendering holds
// one record at a time.
#pragma once

#include <iosfwd>
#include <optional>
#include <string_view>

#include "stella/host/continuity/continuity_report.hpp"

namespace stella::host {

/// Zero is not a valid value.
enum class ContinuityFormat {
  text = 1,
  json = 2,
  html = 3,
};

/// "text", "json", "html" → the format; nullopt for anything else.
std::optional<ContinuityFormat> parse_continuity_format(std::string_view name);

void write_continuity_text(std::ostream& out, const ContinuityReport& report);
void write_continuity_json(std::ostream& out, const ContinuityReport& report);
/// A passing report contains no "FAIL" anywhere (the runbook greps for it): data that happens to
/// contain those letters is written with a character reference (&#70;AIL), which a browser shows
/// unchanged. A failing report says FAIL at the top and at every failing check.
void write_continuity_html(std::ostream& out, const ContinuityReport& report);

void write_continuity_report(std::ostream& out, const ContinuityReport& report,
                             ContinuityFormat format);

}  // namespace stella::host
