// Finding orphans: every kind's list query in one read-only snapshot.
#include "diagnostics/orphan_kinds.hpp"
#include "stella/host/diagnostics/orphans.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/migration_read_guard.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

void collect(PgConnection& connection, OrphanReport& report) {
  for (const OrphanKind& kind : orphan_kinds(report.schema_version)) {
    OrphanKindCount count;
    count.kind = kind.kind;
    count.table = kind.table;
    count.description = kind.description;
    count.quarantinable = !kind.move_condition.empty();
    count.kept_reason = kind.kept_reason;
    const PgResult rows = connection.exec(kind.list_sql);
    for (int r = 0; r < rows.rows(); ++r) {
      ++count.count;
      const bool held = rows.get(r, 3) == "t";
      if (held) {
        ++count.held;
      }
      if (report.records.size() < kMaxListedOrphans) {
        report.records.push_back({kind.kind, kind.table, rows.get_optional(r, 0).value_or(""),
                                  rows.get_optional(r, 1).value_or(""),
                                  rows.get_optional(r, 2).value_or(""), held});
      }
    }
    report.total += count.count;
    report.kinds.push_back(std::move(count));
  }
}

}  // namespace

OrphanReport find_orphans(PgConnection& connection) {
  OrphanReport report;
  report.database = database_name(connection);
  // The orphan kinds are written against the 1.0 and 2.0 layouts; part-way through a migration
  // they would report rows the run simply has not reached yet.
  refuse_store_use_during_migration(connection);
  const std::optional<std::string> version = detect_store_version(connection);
  if (!version) {
    throw sdk::Error(sdk::ErrorCode::refused, "no evidence store in database " + report.database,
                     "run `stella evidence init`, or name the store's database with --database");
  }
  report.schema_version = *version;
  if (orphan_kinds(*version).empty()) {
    throw sdk::Error(
        sdk::ErrorCode::refused,
        "the store is at schema " + *version + "; orphans knows the layouts of schema 1.0 and 2.0",
        "finish or roll back the migration (`stella evidence migrate --status`)");
  }
  if (connection.in_transaction()) {
    collect(connection, report);
    return report;
  }
  connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    collect(connection, report);
  } catch (...) {
    connection.rollback();
    throw;
  }
  connection.commit();
  return report;
}

}  // namespace stella::host
