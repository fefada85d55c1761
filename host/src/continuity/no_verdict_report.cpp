#include "continuity/no_verdict_report.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "continuity/html_text.hpp"

namespace stella::host {

std::string no_verdict_report(ContinuityFormat format, const std::string& error,
                              const std::string& hint) {
  constexpr const char* kTitle = "Chain-of-custody continuity report: FAIL (no verdict)";
  constexpr const char* kWhy =
      "verify-continuity did not check the evidence: the request was refused or could not be "
      "completed. Nothing here is a result; an earlier report that stood at this path was "
      "replaced so that it is not read as this run's.";
  switch (format) {
    case ContinuityFormat::json: {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      writer.StartObject();
      writer.Key("kind");
      writer.String("stella-continuity-no-verdict");
      writer.Key("result");
      writer.String("fail");
      writer.Key("error");
      writer.String(error.c_str(), static_cast<rapidjson::SizeType>(error.size()));
      writer.Key("hint");
      writer.String(hint.c_str(), static_cast<rapidjson::SizeType>(hint.size()));
      writer.EndObject();
      return std::string(buffer.GetString()) + "\n";
    }
    case ContinuityFormat::html:
      return std::string(
                 "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<title>") +
             kTitle + "</title></head>\n<body>\n<h1>" + kTitle + "</h1>\n<p>" + kWhy +
             "</p>\n<p><strong>Error:</strong> " + html_text(error) +
             "</p>\n<p><strong>What to do:</strong> " + html_text(hint) + "</p>\n</body></html>\n";
    case ContinuityFormat::text:
      break;
  }
  return std::string(kTitle) + "\n" + kWhy + "\nerror: " + error + "\nwhat to do: " + hint + "\n";
}

}  // namespace stella::host
