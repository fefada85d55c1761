// Quarantine: orphans moved whole into evidence_quarantine.records, with the rows that reference
// them, in one transaction with the "quarantine" audit event. Under the evidence write lock, so no
// seed or import changes the set of bundles in between.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "diagnostics/orphan_kinds.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/diagnostics/orphans.hpp"
#include "stella/host/evidence/evidence_write_lock.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/migration/evidence_write_guard.hpp"

namespace stella::host {
namespace {

std::int64_t move_rows(PgConnection& connection, const std::string& kind, const std::string& table,
                       const std::string& alias, const std::string& condition,
                       const std::string& operator_name) {
  const PgResult result = connection.exec(
      "WITH moved AS (DELETE FROM " + table + " " + alias + " WHERE " + condition + " RETURNING " +
          alias +
          ".*) INSERT INTO evidence_quarantine.records (orphan_kind, source_table, row_data, "
          "quarantined_by) SELECT $1, $2, to_jsonb(moved), $3 FROM moved",
      {kind, table, operator_name});
  return result.affected_rows();
}

std::string audit_data(const QuarantineSummary& summary) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("schema_version");
  w.String(summary.before.schema_version);
  w.Key("moved_total");
  w.Int64(summary.moved_total);
  w.Key("kept_total");
  w.Int64(summary.kept_total);
  w.Key("moved");
  w.StartObject();
  for (const auto& [kind, count] : summary.moved) {
    w.Key(kind.c_str(), static_cast<rapidjson::SizeType>(kind.size()));
    w.Int64(count);
  }
  w.EndObject();
  w.Key("quarantine_table");
  w.String("evidence_quarantine.records");
  w.EndObject();
  return buffer.GetString();
}

}  // namespace

QuarantineSummary quarantine_orphans(PgConnection& connection, const std::string& operator_name,
                                     const std::function<void(const std::string&)>& note) {
  ensure_state_schema(connection);
  QuarantineSummary summary;
  PgTransaction transaction(connection);
  take_evidence_write_lock(connection, note);
  refuse_evidence_writes_during_migration(connection, "orphans --quarantine");
  summary.before = find_orphans(connection);
  for (const OrphanKind& kind : orphan_kinds(summary.before.schema_version)) {
    if (kind.move_condition.empty()) {
      continue;
    }
    std::int64_t moved = 0;
    for (const DependentRows& dependent : kind.dependents) {
      moved += move_rows(connection, kind.kind, dependent.table, "d", dependent.condition,
                         operator_name);
    }
    moved += move_rows(connection, kind.kind, kind.table, "t", kind.move_condition, operator_name);
    if (moved > 0) {
      summary.moved.emplace_back(kind.kind, moved);
      summary.moved_total += moved;
    }
  }
  // Kept: what is still an orphan after the move (held rows, kinds never moved).
  summary.kept_total = find_orphans(connection).total;
  if (summary.moved_total == 0) {
    return summary;  // nothing written: the transaction rolls back
  }
  summary.audit_event_id =
      append_audit_event(connection, audit_type::kQuarantine, operator_name, audit_data(summary));
  connection.exec(
      "UPDATE evidence_quarantine.records SET audit_event_id = $1 WHERE audit_event_id IS NULL",
      {std::to_string(summary.audit_event_id)});
  transaction.commit();
  return summary;
}

}  // namespace stella::host
