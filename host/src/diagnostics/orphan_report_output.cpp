// The orphans report as JSON (schemas/orphans-report.schema.json) and as text.
#include <sstream>

#include <rapidjson/document.h>

#include "stella/host/diagnostics/orphans.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/printable_text.hpp"

namespace stella::host {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

void add_optional(rapidjson::Value& object, const char* key, const std::string& value,
                  Allocator& allocator) {
  if (!value.empty()) {
    object.AddMember(rapidjson::StringRef(key), text(value, allocator), allocator);
  }
}

}  // namespace

std::string orphan_report_to_json(const OrphanReport& report, const QuarantineSummary* quarantine) {
  rapidjson::Document document(rapidjson::kObjectType);
  Allocator& a = document.GetAllocator();
  document.AddMember("report", "orphans", a);
  document.AddMember("database", text(report.database, a), a);
  document.AddMember("schemaVersion", text(report.schema_version, a), a);
  document.AddMember("total", report.total, a);
  rapidjson::Value kinds(rapidjson::kArrayType);
  for (const OrphanKindCount& kind : report.kinds) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("kind", text(kind.kind, a), a);
    item.AddMember("table", text(kind.table, a), a);
    item.AddMember("description", text(kind.description, a), a);
    item.AddMember("count", kind.count, a);
    item.AddMember("held", kind.held, a);
    item.AddMember("quarantinable", kind.quarantinable, a);
    add_optional(item, "keptReason", kind.kept_reason, a);
    kinds.PushBack(item, a);
  }
  document.AddMember("kinds", kinds, a);
  rapidjson::Value records(rapidjson::kArrayType);
  for (const OrphanRecord& record : report.records) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("kind", text(record.kind, a), a);
    item.AddMember("table", text(record.table, a), a);
    add_optional(item, "tenant", record.tenant, a);
    add_optional(item, "bundle", record.bundle, a);
    add_optional(item, "key", record.key, a);
    item.AddMember("held", record.held, a);
    records.PushBack(item, a);
  }
  document.AddMember("orphans", records, a);
  if (quarantine != nullptr) {
    rapidjson::Value moved(rapidjson::kObjectType);
    moved.AddMember("movedTotal", quarantine->moved_total, a);
    moved.AddMember("keptTotal", quarantine->kept_total, a);
    rapidjson::Value by_kind(rapidjson::kObjectType);
    for (const auto& [kind, count] : quarantine->moved) {
      by_kind.AddMember(text(kind, a), rapidjson::Value(static_cast<std::int64_t>(count)), a);
    }
    moved.AddMember("moved", by_kind, a);
    moved.AddMember("table", "evidence_quarantine.records", a);
    moved.AddMember("auditEventId", quarantine->audit_event_id, a);
    document.AddMember("quarantine", moved, a);
  }
  return json_to_string(document) + "\n";
}

// An orphan row's tenant, bundle and key are whatever the row holds: escaped for the terminal, so
// that a line break or an escape sequence in one cannot print a line of its own.
std::string orphan_report_to_text(const OrphanReport& report, const QuarantineSummary* quarantine) {
  using sdk::printable_text;
  std::ostringstream out;
  out << "orphans in database " << printable_text(report.database) << " (schema "
      << printable_text(report.schema_version) << "): " << report.total << '\n';
  for (const OrphanKindCount& kind : report.kinds) {
    out << "  " << kind.count << "  " << kind.kind << " (" << kind.table
        << "): " << kind.description;
    if (kind.held > 0) {
      out << "; " << kind.held << " under legal hold";
    }
    out << '\n';
  }
  for (const OrphanRecord& record : report.records) {
    out << "  [" << record.kind << "] " << record.table;
    for (const auto* part : {&record.tenant, &record.bundle, &record.key}) {
      if (!part->empty()) {
        out << ' ' << printable_text(*part);
      }
    }
    if (record.held) {
      out << " (legal hold: never quarantined)";
    }
    out << '\n';
  }
  if (report.total > static_cast<std::int64_t>(report.records.size())) {
    out << "  ... and " << report.total - static_cast<std::int64_t>(report.records.size())
        << " more (see --format json)\n";
  }
  if (quarantine != nullptr) {
    if (quarantine->moved_total == 0) {
      out << "quarantine: nothing to move";
    } else {
      out << "quarantine: moved " << quarantine->moved_total
          << " rows to evidence_quarantine.records (audit event " << quarantine->audit_event_id
          << ")";
    }
    out << "; " << quarantine->kept_total << " orphans left in place\n";
    for (const auto& [kind, count] : quarantine->moved) {
      out << "  moved " << count << "  " << kind << '\n';
    }
  } else if (report.total > 0) {
    out << "to move them out of the store (never deleted): stella evidence orphans --quarantine\n";
  }
  return out.str();
}

}  // namespace stella::host
