// `migrate --logs`: a run's log and the audit events it wrote.
#include <ostream>

#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/migration/migration_status.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

void add(rapidjson::Value& object, const char* key, rapidjson::Value value, Allocator& allocator) {
  object.AddMember(rapidjson::StringRef(key), value, allocator);
}

std::vector<RunAuditEvent> read_run_audit_events(PgConnection& connection, std::int64_t run_id) {
  if (connection.exec("SELECT to_regclass('stella.audit_events') IS NOT NULL").get(0, 0) != "t") {
    return {};
  }
  const PgResult rows = connection.exec(
      "SELECT id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
      "event_type, operator, data::text FROM stella.audit_events "
      "WHERE data ->> 'run_id' = $1 ORDER BY id",
      {std::to_string(run_id)});
  std::vector<RunAuditEvent> events;
  for (int r = 0; r < rows.rows(); ++r) {
    events.push_back(RunAuditEvent{rows.get_int64(r, 0), std::string(rows.get(r, 1)),
                                   std::string(rows.get(r, 2)), std::string(rows.get(r, 3)),
                                   std::string(rows.get(r, 4))});
  }
  return events;
}

}  // namespace

MigrationLogs read_migration_logs(PgConnection& connection,
                                  const std::optional<std::int64_t>& run_id) {
  MigrationLogs logs;
  const MigrationStatus status = read_migration_status(connection, run_id);
  logs.run = status.run;
  if (logs.run) {
    logs.lines = read_run_log(connection, logs.run->run_id);
    logs.audit_events = read_run_audit_events(connection, logs.run->run_id);
  }
  return logs;
}

void write_migration_logs_json(std::ostream& out, const MigrationLogs& logs) {
  rapidjson::Document document;
  document.SetObject();
  Allocator& allocator = document.GetAllocator();
  if (logs.run) {
    rapidjson::Value run(rapidjson::kObjectType);
    add(run, "runId", rapidjson::Value(static_cast<std::int64_t>(logs.run->run_id)), allocator);
    add(run, "kind", text(std::string(run_kind_name(logs.run->kind)), allocator), allocator);
    add(run, "fromVersion", text(logs.run->from_version, allocator), allocator);
    add(run, "toVersion", text(logs.run->to_version, allocator), allocator);
    add(run, "status", text(std::string(run_status_name(logs.run->status)), allocator), allocator);
    add(document, "run", std::move(run), allocator);
  } else {
    add(document, "run", rapidjson::Value(rapidjson::kNullType), allocator);
  }
  rapidjson::Value lines(rapidjson::kArrayType);
  for (const RunLogLine& line : logs.lines) {
    rapidjson::Value entry(rapidjson::kObjectType);
    add(entry, "loggedAt", text(line.logged_at, allocator), allocator);
    add(entry, "level", text(line.level, allocator), allocator);
    add(entry, "step",
        line.step_ordinal ? rapidjson::Value(*line.step_ordinal)
                          : rapidjson::Value(rapidjson::kNullType),
        allocator);
    add(entry, "message", text(line.message, allocator), allocator);
    lines.PushBack(entry, allocator);
  }
  add(document, "log", std::move(lines), allocator);
  rapidjson::Value events(rapidjson::kArrayType);
  for (const RunAuditEvent& event : logs.audit_events) {
    rapidjson::Value entry(rapidjson::kObjectType);
    add(entry, "id", rapidjson::Value(static_cast<std::int64_t>(event.id)), allocator);
    add(entry, "occurredAt", text(event.occurred_at, allocator), allocator);
    add(entry, "type", text(event.event_type, allocator), allocator);
    add(entry, "operator", text(event.operator_name, allocator), allocator);
    rapidjson::Document data = parse_json(event.data_json, "audit event data");
    rapidjson::Value copy(data, allocator);
    add(entry, "data", std::move(copy), allocator);
    events.PushBack(entry, allocator);
  }
  add(document, "auditEvents", std::move(events), allocator);
  out << json_to_string(document, JsonLayout::pretty) << '\n';
}

void write_migration_logs_text(std::ostream& out, const MigrationLogs& logs) {
  if (!logs.run) {
    out << "No migration has run on this store.\n";
    return;
  }
  out << "Run " << logs.run->run_id << ": " << run_kind_name(logs.run->kind) << " "
      << logs.run->from_version << " \u2192 " << logs.run->to_version << ", "
      << run_status_name(logs.run->status) << "\n\nLog:\n";
  for (const RunLogLine& line : logs.lines) {
    out << "  " << line.logged_at << "  " << line.level;
    if (line.step_ordinal) {
      out << "  step " << *line.step_ordinal;
    }
    out << "  " << line.message << "\n";
  }
  out << "\nAudit events:\n";
  if (logs.audit_events.empty()) {
    out << "  none\n";
  }
  for (const RunAuditEvent& event : logs.audit_events) {
    out << "  #" << event.id << "  " << event.occurred_at << "  " << event.event_type << "  by "
        << event.operator_name << "  " << event.data_json << "\n";
  }
}

}  // namespace stella::host
