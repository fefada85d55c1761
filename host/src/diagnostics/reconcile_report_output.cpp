// The reconcile report as JSON (schemas/reconcile-report.schema.json) and as text.
#include <sstream>

#include <rapidjson/document.h>

#include "stella/host/diagnostics/reconcile.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/printable_text.hpp"

namespace stella::host {
namespace {

using sdk::printable_text;

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

rapidjson::Value bundles_json(const std::vector<ReconcileBundle>& bundles, Allocator& a) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (const ReconcileBundle& bundle : bundles) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("tenant", text(bundle.tenant, a), a);
    item.AddMember("bundle", text(bundle.bundle, a), a);
    item.AddMember("sourceRoot", text(bundle.source_root, a), a);
    item.AddMember("storeRoot", text(bundle.store_root, a), a);
    rapidjson::Value differences(rapidjson::kArrayType);
    for (const ReconcileDifference& difference : bundle.differences) {
      rapidjson::Value d(rapidjson::kObjectType);
      d.AddMember("field", text(difference.field, a), a);
      if (!difference.artifact.empty()) {
        d.AddMember("artifact", text(difference.artifact, a), a);
      }
      d.AddMember("source", text(difference.source_value, a), a);
      d.AddMember("store", text(difference.store_value, a), a);
      differences.PushBack(d, a);
    }
    item.AddMember("differences", differences, a);
    list.PushBack(item, a);
  }
  return list;
}

void write_bundles(std::ostream& out, const char* label, const std::vector<ReconcileBundle>& list) {
  for (const ReconcileBundle& bundle : list) {
    out << "  [" << label << "] " << printable_text(bundle.tenant) << ' '
        << printable_text(bundle.bundle);
    if (!bundle.source_root.empty()) {
      out << " source " << printable_text(bundle.source_root);
    }
    if (!bundle.store_root.empty()) {
      out << " store " << printable_text(bundle.store_root);
    }
    out << '\n';
    for (const ReconcileDifference& d : bundle.differences) {
      out << "        " << d.field;
      if (!d.artifact.empty()) {
        out << ' ' << printable_text(d.artifact);
      }
      out << ": source " << (d.source_value.empty() ? "(none)" : printable_text(d.source_value))
          << ", store " << (d.store_value.empty() ? "(none)" : printable_text(d.store_value))
          << '\n';
    }
  }
}

}  // namespace

std::string reconcile_report_to_json(const ReconcileReport& report) {
  rapidjson::Document document(rapidjson::kObjectType);
  Allocator& a = document.GetAllocator();
  document.AddMember("report", "reconcile", a);
  document.AddMember("source", text(report.source, a), a);
  document.AddMember("sourceLocation", text(report.source_location, a), a);
  document.AddMember("sourceFormat", text(report.source_format, a), a);
  document.AddMember("plugin", text(report.plugin_id, a), a);
  document.AddMember("database", text(report.database, a), a);
  document.AddMember("schemaVersion", text(report.schema_version, a), a);
  document.AddMember("mode", text(report.mode, a), a);
  document.AddMember("result",
                     report.in_sync() && report.source_problems.empty() ? "in-sync" : "differs", a);
  rapidjson::Value counts(rapidjson::kObjectType);
  counts.AddMember("sourceBundles", report.source_bundles, a);
  counts.AddMember("storeBundles", report.store_bundles, a);
  counts.AddMember("matched", report.matched, a);
  counts.AddMember("missing", static_cast<std::int64_t>(report.missing.size()), a);
  counts.AddMember("extra", static_cast<std::int64_t>(report.extra.size()), a);
  counts.AddMember("mismatched", static_cast<std::int64_t>(report.mismatched.size()), a);
  counts.AddMember("sourceProblems", static_cast<std::int64_t>(report.source_problems.size()), a);
  document.AddMember("counts", counts, a);
  document.AddMember("missing", bundles_json(report.missing, a), a);
  document.AddMember("extra", bundles_json(report.extra, a), a);
  document.AddMember("mismatched", bundles_json(report.mismatched, a), a);
  rapidjson::Value problems(rapidjson::kArrayType);
  for (const BundleProblem& problem : report.source_problems) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("check", text(problem.check, a), a);
    item.AddMember("tenant", text(problem.tenant, a), a);
    item.AddMember("bundle", text(problem.bundle, a), a);
    item.AddMember("artifact", text(problem.artifact, a), a);
    item.AddMember("expected", text(problem.expected, a), a);
    item.AddMember("found", text(problem.found, a), a);
    item.AddMember("message", text(problem.message, a), a);
    problems.PushBack(item, a);
  }
  document.AddMember("sourceProblems", problems, a);
  if (report.mode == "apply") {
    rapidjson::Value applied(rapidjson::kObjectType);
    applied.AddMember("imported", report.imported, a);
    applied.AddMember("auditEventId", report.import_audit_event_id, a);
    applied.AddMember("globalRootBefore", text(report.global_root_before, a), a);
    applied.AddMember("globalRootAfter", text(report.global_root_after, a), a);
    document.AddMember("applied", applied, a);
  }
  return json_to_string(document) + "\n";
}

// What the source and the store hold (tenants, bundle ids, paths, roots, the messages that quote
// them) is escaped for the terminal: a line break or an escape sequence in one must not print a
// line. The command to paste stays as written, so that it can be pasted.
std::string reconcile_report_to_text(const ReconcileReport& report) {
  std::ostringstream out;
  out << "reconcile --source " << printable_text(report.source) << " (" << report.mode
      << "): " << (report.in_sync() && report.source_problems.empty() ? "in sync" : "DIFFERS")
      << '\n'
      << "  source " << printable_text(report.source_location) << " via " << report.plugin_id
      << " (" << report.source_format << "): " << report.source_bundles << " bundles\n"
      << "  store  database " << printable_text(report.database) << ", schema "
      << printable_text(report.schema_version) << ": " << report.store_bundles << " bundles\n"
      << "  matched " << report.matched << ", missing " << report.missing.size() << ", extra "
      << report.extra.size() << ", mismatched " << report.mismatched.size() << '\n';
  write_bundles(out, "missing", report.missing);
  write_bundles(out, "extra", report.extra);
  write_bundles(out, "mismatched", report.mismatched);
  for (const BundleProblem& problem : report.source_problems) {
    out << "  [source/" << problem.check << "] " << printable_text(problem.tenant) << ' '
        << printable_text(problem.bundle) << ' ' << printable_text(problem.artifact) << ": "
        << printable_text(problem.message) << '\n';
  }
  if (report.mode == "apply") {
    out << "  imported " << report.imported << " bundles (audit event "
        << report.import_audit_event_id << "); global root " << report.global_root_before << " -> "
        << report.global_root_after << '\n';
  } else if (!report.missing.empty()) {
    out << "to import the missing bundles: "
        << (report.apply_command.empty()
                ? "stella evidence reconcile --source " + report.source + " --apply"
                : report.apply_command)
        << '\n';
  }
  return out.str();
}

}  // namespace stella::host
