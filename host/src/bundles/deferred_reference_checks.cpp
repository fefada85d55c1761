// Deferred foreign-key checks for a load into an empty store (deferred_reference_checks.hpp).
#include "bundles/deferred_reference_checks.hpp"

#include <string>
#include <vector>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Every foreign key of schema "evidence" declared on a table itself; the copies PostgreSQL keeps
/// on each partition (conparentid <> 0) are covered by their partitioned table's.
constexpr const char* kForeignKeysSql =
    "SELECT con.conname, con.conrelid::regclass::text, con.confrelid::regclass::text, "
    "       array_to_string(ARRAY(SELECT quote_ident(a.attname) FROM unnest(con.conkey) "
    "                             WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a "
    "                             ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
    "                             ORDER BY k.n), ','), "
    "       array_to_string(ARRAY(SELECT quote_ident(a.attname) FROM unnest(con.confkey) "
    "                             WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a "
    "                             ON a.attrelid = con.confrelid AND a.attnum = k.attnum "
    "                             ORDER BY k.n), ',') "
    "FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace "
    "WHERE con.contype = 'f' AND n.nspname = 'evidence' AND con.conparentid = 0 "
    "ORDER BY 2, 1";

std::vector<std::string> split_columns(std::string_view list) {
  std::vector<std::string> columns;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = list.find(',', start);
    columns.emplace_back(
        list.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return columns;
}

struct Violation {
  std::string constraint;
  std::string table;
  std::string referenced;
  std::string count;
  std::string example;
};

}  // namespace

bool defer_reference_checks(PgConnection& connection) {
  if (connection.exec("SELECT current_setting('is_superuser') = 'on'").get(0, 0) != "t" ||
      connection.exec("SELECT EXISTS (SELECT 1 FROM evidence.bundles)").get(0, 0) == "t") {
    return false;
  }
  const PgResult tables = connection.exec(
      "SELECT string_agg(c.oid::regclass::text, ', ' ORDER BY c.relname) FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = 'evidence' AND c.relkind IN ('r', 'p') AND NOT c.relispartition");
  connection.exec("LOCK TABLE " + std::string(tables.get(0, 0)) + " IN SHARE ROW EXCLUSIVE MODE");
  // Under the lock: a writer that got in between the first look and the lock wins.
  if (connection.exec("SELECT EXISTS (SELECT 1 FROM evidence.bundles)").get(0, 0) == "t") {
    return false;
  }
  connection.exec("SET LOCAL session_replication_role = replica");
  return true;
}

void check_references_in_bulk(PgConnection& connection) {
  connection.exec("SET LOCAL session_replication_role = origin");
  const PgResult keys = connection.exec(kForeignKeysSql);
  std::vector<Violation> violations;
  for (int row = 0; row < keys.rows(); ++row) {
    const std::string table(keys.get(row, 1));
    const std::string referenced(keys.get(row, 2));
    const std::vector<std::string> columns = split_columns(keys.get(row, 3));
    const std::vector<std::string> referenced_columns = split_columns(keys.get(row, 4));
    std::string not_null;
    std::string matches;
    std::string shown;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      not_null += (i == 0 ? "" : " AND ") + ("c." + columns[i] + " IS NOT NULL");
      matches += (i == 0 ? "" : " AND ") + ("p." + referenced_columns[i] + " = c." + columns[i]);
      shown += (i == 0 ? "" : " || ', ' || ") + ("c." + columns[i] + "::text");
    }
    // The names come from the catalog, quoted by it; nothing here is input.
    const PgResult found = connection.exec(
        "SELECT count(*), min(" + shown + ") FROM " + table + " c WHERE " + not_null +
        " AND NOT EXISTS (SELECT 1 FROM " + referenced + " p WHERE " + matches + ")");
    if (found.get(0, 0) != "0") {
      violations.push_back({std::string(keys.get(row, 0)), table, referenced,
                            std::string(found.get(0, 0)), std::string(found.get(0, 1))});
    }
  }
  if (violations.empty()) {
    return;
  }
  std::string named;
  for (const Violation& violation : violations) {
    named += (named.empty() ? "" : "; ") + violation.count + " rows of " + violation.table +
             " reference no row of " + violation.referenced + " (" + violation.constraint +
             "; the first is " + violation.example + ")";
  }
  throw sdk::Error(sdk::ErrorCode::verification_failed,
                   "the loaded rows break foreign keys: " + named + "; nothing was imported",
                   "this is a bug: report it with the source and `stella evidence verify-bundle` "
                   "output");
}

}  // namespace stella::host
