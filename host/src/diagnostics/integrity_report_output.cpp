// The integrity report as JSON (schemas/integrity-report.schema.json) and as text: what an
// operator attaches to a support case.
#include <sstream>

#include <rapidjson/document.h>

#include "stella/host/diagnostics/integrity_check.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/printable_text.hpp"

namespace stella::host {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

/// Optional text members are left out when empty, so the report says only what applies.
void add_optional(rapidjson::Value& object, const char* key, const std::string& value,
                  Allocator& allocator) {
  if (!value.empty()) {
    object.AddMember(rapidjson::StringRef(key), text(value, allocator), allocator);
  }
}

}  // namespace

std::string integrity_report_to_json(const IntegrityReport& report) {
  rapidjson::Document document(rapidjson::kObjectType);
  Allocator& a = document.GetAllocator();
  document.AddMember("report", "integrity-check", a);
  document.AddMember("mode", text(report.mode, a), a);
  document.AddMember("result", report.passed() ? "pass" : "fail", a);
  document.AddMember("database", text(report.database, a), a);
  document.AddMember("schemaVersion", text(report.schema_version, a), a);
  document.AddMember("toolVersion", text(report.tool_version, a), a);
  document.AddMember("operator", text(report.operator_name, a), a);
  document.AddMember("startedAt", text(report.started_at, a), a);
  document.AddMember("finishedAt", text(report.finished_at, a), a);
  document.AddMember("algorithm", text(report.algorithm, a), a);
  document.AddMember("storedGlobalRoot", text(report.stored_global_root, a), a);
  rapidjson::Value areas(rapidjson::kArrayType);
  for (const IntegrityArea& area : report.areas) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("area", text(area.name, a), a);
    item.AddMember("title", text(area.title, a), a);
    item.AddMember("result", area.problems == 0 ? "pass" : "fail", a);
    item.AddMember("checked", area.checked, a);
    item.AddMember("problems", area.problems, a);
    add_optional(item, "note", area.note, a);
    areas.PushBack(item, a);
  }
  document.AddMember("areas", areas, a);
  rapidjson::Value problems(rapidjson::kArrayType);
  for (const IntegrityProblem& problem : report.problems) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("area", text(problem.area, a), a);
    item.AddMember("check", text(problem.check, a), a);
    add_optional(item, "object", problem.object, a);
    add_optional(item, "tenant", problem.tenant, a);
    add_optional(item, "bundle", problem.bundle, a);
    add_optional(item, "artifact", problem.artifact, a);
    if (problem.event_id != 0) {
      item.AddMember("eventId", problem.event_id, a);
    }
    item.AddMember("expected", text(problem.expected, a), a);
    item.AddMember("found", text(problem.found, a), a);
    item.AddMember("message", text(problem.message, a), a);
    problems.PushBack(item, a);
  }
  document.AddMember("problems", problems, a);
  document.AddMember("problemCount", report.problem_count, a);
  document.AddMember("auditEventId", report.audit_event_id, a);
  return json_to_string(document) + "\n";
}

// What the store holds (names, paths, roots, the messages that quote them) is escaped for the
// terminal: a stored value holding a line break or an escape sequence must not print a line.
std::string integrity_report_to_text(const IntegrityReport& report) {
  using sdk::printable_text;
  std::ostringstream out;
  out << "integrity-check (" << report.mode << "): " << (report.passed() ? "PASS" : "FAIL") << '\n'
      << "  database " << printable_text(report.database) << ", schema "
      << printable_text(report.schema_version) << ", stella " << report.tool_version << '\n'
      << "  global root "
      << (report.stored_global_root.empty() ? "(none)" : printable_text(report.stored_global_root))
      << '\n'
      << "  checked " << report.started_at << " .. " << report.finished_at << " by "
      << printable_text(report.operator_name) << '\n';
  for (const IntegrityArea& area : report.areas) {
    out << "  " << (area.problems == 0 ? "pass" : "FAIL") << "  " << area.name << ": " << area.title
        << " (" << area.checked << " checked, " << area.problems << " problems)\n";
    if (!area.note.empty()) {
      out << "        " << printable_text(area.note) << '\n';
    }
  }
  for (const IntegrityProblem& problem : report.problems) {
    out << "  [" << problem.area << "/" << problem.check << "]";
    for (const auto* part :
         {&problem.object, &problem.tenant, &problem.bundle, &problem.artifact}) {
      if (!part->empty()) {
        out << ' ' << printable_text(*part);
      }
    }
    if (problem.event_id != 0) {
      out << " event " << problem.event_id;
    }
    out << ": " << printable_text(problem.message)
        << "\n        expected: " << printable_text(problem.expected)
        << "\n        found:    " << printable_text(problem.found) << '\n';
  }
  if (report.problem_count > static_cast<std::int64_t>(report.problems.size())) {
    out << "  ... and " << report.problem_count - static_cast<std::int64_t>(report.problems.size())
        << " more problems (see --format json)\n";
  }
  out << "  " << report.problem_count << " problems; recorded as audit event "
      << report.audit_event_id << '\n';
  return out.str();
}

}  // namespace stella::host
