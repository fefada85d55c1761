#include "audit/audit_output.hpp"

#include <iomanip>

#include <rapidjson/document.h>

#include "audit/audit_event_summary.hpp"
#include "stella/host/audit/audit_event_rules.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/error.hpp"
#include "stella/sdk/printable_text.hpp"

namespace stella::host {
namespace {

constexpr int kIdWidth = 8;
constexpr int kTimeWidth = 29;  // "2026-12-04T20:22:37.123456Z" and two spaces
constexpr int kTypeWidth = 18;
constexpr int kOperatorWidth = 16;

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

rapidjson::Value optional_text(const std::optional<std::string>& value, Allocator& allocator) {
  return value ? text(*value, allocator) : rapidjson::Value(rapidjson::kNullType);
}

rapidjson::Value optional_id(const std::optional<std::int64_t>& value) {
  return value ? rapidjson::Value(*value) : rapidjson::Value(rapidjson::kNullType);
}

std::string id_span(const AuditPruneResult& result) {
  if (!result.first_id) {
    return "";
  }
  return *result.first_id == *result.last_id ? " (id " + std::to_string(*result.first_id) + ")"
                                             : " (ids " + std::to_string(*result.first_id) +
                                                   " to " + std::to_string(*result.last_id) + ")";
}

}  // namespace

void write_event_table_header(std::ostream& out, EventColumn last) {
  out << std::left << std::setw(kIdWidth) << "ID" << std::setw(kTimeWidth) << "OCCURRED AT"
      << std::setw(kTypeWidth) << "TYPE" << std::setw(kOperatorWidth) << "OPERATOR"
      << (last == EventColumn::summary ? "WHAT\n" : "DATA\n");
}

void write_event_table_row(std::ostream& out, const AuditEvent& event, EventColumn last) {
  // A value wider than its column still gets one space, so columns never run together. Every
  // value is escaped for the terminal: an event's data holds paths and messages from anywhere,
  // and a line break or escape sequence in one must not read as a row of its own.
  const auto cell = [&out](const std::string& value, int width) {
    out << std::left << std::setw(width - 1) << sdk::printable_text(value) << ' ';
  };
  cell(std::to_string(event.id), kIdWidth);
  cell(event.occurred_at, kTimeWidth);
  cell(event.event_type, kTypeWidth);
  cell(event.operator_name, kOperatorWidth);
  const std::optional<std::string> summary = last == EventColumn::summary
                                                 ? audit_event_summary(event.event_type, event.data)
                                                 : std::nullopt;
  out << (summary ? sdk::printable_text(*summary) : sdk::printable_json(event.data)) << '\n';
}

std::string audit_event_json(const AuditEvent& event) {
  rapidjson::Document document(rapidjson::kObjectType);
  Allocator& allocator = document.GetAllocator();
  rapidjson::Document data(&allocator);
  data.Parse(event.data.c_str(), event.data.size());
  if (data.HasParseError()) {
    throw sdk::Error(sdk::ErrorCode::internal, "audit event " + std::to_string(event.id) +
                                                   " has data PostgreSQL rendered as invalid JSON");
  }
  document.AddMember("id", event.id, allocator);
  document.AddMember("occurredAt", text(event.occurred_at, allocator), allocator);
  document.AddMember("type", text(event.event_type, allocator), allocator);
  document.AddMember("operator", text(event.operator_name, allocator), allocator);
  document.AddMember("retention", text(event.retention, allocator), allocator);
  document.AddMember("data", rapidjson::Value(data, allocator), allocator);
  document.AddMember("prevHash", text(event.prev_hash, allocator), allocator);
  document.AddMember("hash", text(event.hash, allocator), allocator);
  return json_to_string(document, JsonLayout::compact);
}

void write_verify_text(std::ostream& out, const AuditChainReport& report) {
  const std::string counted =
      std::to_string(report.events) + " events (" + std::to_string(report.pruned) + " pruned)";
  if (report.intact()) {
    out << "audit chain intact: " << counted;
    if (report.first_occurred_at) {
      out << " from " << *report.first_occurred_at << " to " << *report.last_occurred_at;
    }
    out << "\nchain head: event " << report.head_id << ' ' << report.head_hash << '\n';
    return;
  }
  // What was found is whatever the tampered rows hold: escaped, so that it cannot print a line.
  const AuditChainProblem& problem = *report.problem;
  out << "audit chain BROKEN at event " << problem.event_id << " ("
      << audit_break_name(problem.kind) << "): " << sdk::printable_text(problem.message) << '\n'
      << "expected: " << sdk::printable_text(problem.expected) << '\n'
      << "found:    " << sdk::printable_text(problem.found) << '\n'
      << "intact before the break: " << counted << '\n';
}

std::string audit_verify_json(const AuditChainReport& report) {
  rapidjson::Document document(rapidjson::kObjectType);
  Allocator& allocator = document.GetAllocator();
  document.AddMember("intact", report.intact(), allocator);
  document.AddMember("events", report.events, allocator);
  document.AddMember("pruned", report.pruned, allocator);
  document.AddMember("firstOccurredAt", optional_text(report.first_occurred_at, allocator),
                     allocator);
  document.AddMember("lastOccurredAt", optional_text(report.last_occurred_at, allocator),
                     allocator);
  rapidjson::Value head(rapidjson::kObjectType);
  head.AddMember("id", report.head_id, allocator);
  head.AddMember("hash", text(report.head_hash, allocator), allocator);
  document.AddMember("head", head, allocator);
  rapidjson::Value problem(rapidjson::kNullType);
  if (report.problem) {
    const AuditChainProblem& found = *report.problem;
    problem.SetObject();
    problem.AddMember("kind", rapidjson::StringRef(audit_break_name(found.kind)), allocator);
    problem.AddMember("eventId", found.event_id, allocator);
    problem.AddMember("type", optional_text(found.event_type, allocator), allocator);
    problem.AddMember("occurredAt", optional_text(found.occurred_at, allocator), allocator);
    problem.AddMember("expected", text(found.expected, allocator), allocator);
    problem.AddMember("found", text(found.found, allocator), allocator);
    problem.AddMember("message", text(found.message, allocator), allocator);
  }
  document.AddMember("problem", problem, allocator);
  return json_to_string(document, JsonLayout::pretty);
}

void write_prune_text(std::ostream& out, const AuditPruneResult& result) {
  const std::string bounds = "occurred before both --before " + result.before + " and the " +
                             std::to_string(kVerificationRetentionYears) +
                             "-year retention cutoff " + result.retention_cutoff;
  if (result.pruned == 0) {
    out << "nothing to prune: no verification event " << bounds
        << "; permanent events are never pruned\n";
    if (result.audit_event_id) {
      out << "recorded as audit event " << *result.audit_event_id << '\n';
    }
    return;
  }
  out << (result.dry_run ? "would prune " : "pruned ") << result.pruned
      << (result.pruned == 1 ? " verification event" : " verification events") << id_span(result)
      << " that " << bounds << '\n';
  if (result.dry_run) {
    out << "dry run: nothing was changed\n";
  } else {
    out << "tombstones keep the chain verifiable; recorded as audit event "
        << result.audit_event_id.value_or(0) << '\n';
  }
}

std::string audit_prune_json(const AuditPruneResult& result) {
  rapidjson::Document document(rapidjson::kObjectType);
  Allocator& allocator = document.GetAllocator();
  document.AddMember("dryRun", result.dry_run, allocator);
  document.AddMember("before", text(result.before, allocator), allocator);
  document.AddMember("retentionCutoff", text(result.retention_cutoff, allocator), allocator);
  document.AddMember("pruned", result.pruned, allocator);
  document.AddMember("firstId", optional_id(result.first_id), allocator);
  document.AddMember("lastId", optional_id(result.last_id), allocator);
  document.AddMember("auditEventId", optional_id(result.audit_event_id), allocator);
  return json_to_string(document, JsonLayout::pretty);
}

}  // namespace stella::host
