// Choosing a continuity report format.
#include "stella/host/continuity/continuity_report_output.hpp"

namespace stella::host {

std::optional<ContinuityFormat> parse_continuity_format(std::string_view name) {
  if (name == "text") {
    return ContinuityFormat::text;
  }
  if (name == "json") {
    return ContinuityFormat::json;
  }
  if (name == "html") {
    return ContinuityFormat::html;
  }
  return std::nullopt;
}

void write_continuity_report(std::ostream& out, const ContinuityReport& report,
                             ContinuityFormat format) {
  switch (format) {
    case ContinuityFormat::text:
      write_continuity_text(out, report);
      return;
    case ContinuityFormat::json:
      write_continuity_json(out, report);
      return;
    case ContinuityFormat::html:
      write_continuity_html(out, report);
      return;
  }
}

}  // namespace stella::host
