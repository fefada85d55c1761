#include "conformance/store_snapshot.hpp"

#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/store_state.hpp"

namespace stella::host {
namespace {

/// Tables of the evidence schema with their columns, in name order.
constexpr const char* kTablesSql =
    "SELECT c.relname, string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' "
    "ORDER BY a.attnum) "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
    "WHERE n.nspname = 'evidence' AND c.relkind IN ('r', 'p') "
    "GROUP BY c.relname ORDER BY c.relname COLLATE \"C\"";

std::string rows_sql(PgConnection& connection, const std::string& table) {
  // Row text sorted bytewise: independent of physical order, so a step that rewrites a table with
  // the same rows leaves the same digest.
  const std::string qualified = "evidence." + connection.quote_identifier(table);
  return "SELECT count(*), encode(sha256(convert_to(coalesce(string_agg(t::text, E'\\n' ORDER BY "
         "t::text COLLATE \"C\"), ''), 'UTF8')), 'hex') FROM " +
         qualified + " t";
}

}  // namespace

StoreSnapshot take_store_snapshot(PgConnection& connection) {
  StoreSnapshot snapshot;
  snapshot.schema_version = detect_store_version(connection).value_or("none");
  const PgResult tables = connection.exec(kTablesSql);
  for (int row = 0; row < tables.rows(); ++row) {
    const std::string name(tables.get(row, 0));
    TableSnapshot table;
    table.columns = std::string(tables.get(row, 1));
    const PgResult rows = connection.exec(rows_sql(connection, name));
    table.rows = rows.get_int64(0, 0);
    table.rows_digest = "sha256:" + std::string(rows.get(0, 1));
    snapshot.tables.emplace(name, std::move(table));
  }
  snapshot.state = capture_store_state(connection);
  return snapshot;
}

std::vector<std::string> row_differences(const StoreSnapshot& before, const StoreSnapshot& after) {
  std::vector<std::string> differences;
  for (const auto& [name, table] : before.tables) {
    const auto found = after.tables.find(name);
    if (found == after.tables.end()) {
      differences.push_back("table evidence." + name + " (" + std::to_string(table.rows) +
                            " rows) is gone");
      continue;
    }
    const TableSnapshot& now = found->second;
    if (now.columns != table.columns) {
      differences.push_back("table evidence." + name + ": columns were (" + table.columns +
                            "), are (" + now.columns + ")");
    }
    if (now.rows != table.rows) {
      differences.push_back("table evidence." + name + ": " + std::to_string(table.rows) +
                            " rows before, " + std::to_string(now.rows) + " after");
    } else if (now.rows_digest != table.rows_digest) {
      differences.push_back("table evidence." + name + ": same " + std::to_string(table.rows) +
                            " rows counted, but their content differs (rows digest " +
                            table.rows_digest + " before, " + now.rows_digest + " after)");
    }
  }
  for (const auto& [name, table] : after.tables) {
    if (before.tables.find(name) == before.tables.end()) {
      differences.push_back("table evidence." + name + " (" + std::to_string(table.rows) +
                            " rows) was not there before");
    }
  }
  return differences;
}

std::vector<std::string> root_differences(const StoreSnapshot& before, const StoreSnapshot& after) {
  std::vector<std::string> differences = store_root_differences(before.state, after.state);
  if (before.schema_version != after.schema_version) {
    differences.insert(differences.begin(), "schema version: " + before.schema_version +
                                                " before, " + after.schema_version + " after");
  }
  if (before.state.stored_global_root != after.state.stored_global_root) {
    differences.push_back("stored global root: " + before.state.stored_global_root + " before, " +
                          after.state.stored_global_root + " after");
  }
  return differences;
}

}  // namespace stella::host
