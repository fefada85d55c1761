// The verification audit event of a continuity check.
#include <rapidjson/document.h>

#include "reindex/json_fields.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/state_schema.hpp"
#include "stella/host/continuity/continuity_checker.hpp"
#include "stella/host/json/json_write.hpp"

namespace stella::host {
namespace {

/// "old-root: tenant acme bundle b1: message (expected …, found …)"; a store-wide finding names
/// no record: "transition: message (…)".
std::string anomaly_text(const ContinuityFinding& finding) {
  std::string record;
  if (!finding.tenant.empty()) {
    record += " tenant " + finding.tenant;
  }
  if (!finding.bundle.empty()) {
    record += " bundle " + finding.bundle;
  }
  if (!finding.path.empty()) {
    record += " path " + finding.path;
  }
  return continuity_check_id(finding.check) + (record.empty() ? "" : ":" + record) + ": " +
         finding.message + " (expected " + finding.expected + ", found " + finding.found + ")";
}

}  // namespace

std::int64_t record_continuity_verification(PgConnection& connection,
                                            const ContinuityReport& report,
                                            const std::string& operator_name,
                                            const std::optional<WrittenReport>& written) {
  rapidjson::Document data(rapidjson::kObjectType);
  auto& allocator = data.GetAllocator();
  add_string(data, "check", "verify-continuity", allocator);
  add_string(data, "result", report.passed() ? "pass" : "fail", allocator);
  rapidjson::Value anomalies(rapidjson::kArrayType);
  std::int64_t total = 0;
  for (const ContinuitySection& section : report.sections) {
    total += section.finding_count;
    const std::int64_t room = kAuditedAnomalies - static_cast<std::int64_t>(anomalies.Size());
    if (room > 0) {
      report.spool_of(section).read(section.first_finding, std::min(room, section.finding_count),
                                    [&](const ContinuityFinding& finding) {
                                      anomalies.PushBack(
                                          json_string(anomaly_text(finding), allocator), allocator);
                                    });
    }
  }
  add_value(data, "anomalies", anomalies, allocator);
  add_int(data, "anomaly_count", total, allocator);
  add_string(data, "started_at", report.started_at, allocator);
  add_string(data, "finished_at", report.finished_at, allocator);
  add_string(data, "old_root", report.old_root_given, allocator);
  if (written) {
    add_string(data, "report_path", written->path, allocator);
    add_string(data, "report_sha256", written->sha256, allocator);
  }
  add_string(data, "new_root", report.new_root_given, allocator);
  rapidjson::Value transition;
  if (report.transition) {
    transition.SetInt64(report.transition->transition_id);
  }
  add_value(data, "transition_id", transition, allocator);
  add_int(data, "tenants", report.tenant_count(), allocator);
  add_int(data, "bundles", report.bundle_count(), allocator);
  add_int(data, "artifacts", report.artifact_count(), allocator);
  ensure_state_schema(connection);
  PgTransaction transaction(connection);
  const std::int64_t id = append_audit_event(connection, audit_type::kVerification, operator_name,
                                             json_to_string(data, JsonLayout::compact));
  transaction.commit();
  return id;
}

}  // namespace stella::host
