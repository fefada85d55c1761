// Schema drift: the live objects of schema "evidence" against what the embedded SQL of the
// recorded version creates. The expected objects are built for real — the version's SQL files,
// with the schema name replaced, run in a scratch schema inside a transaction that is always
// rolled back — so the comparison is against PostgreSQL's own reading of that SQL, not a list
// kept by hand that could drift from it.
#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <vector>

#include "diagnostics/integrity_areas.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/resources.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// The scratch schema the expected objects are built in (never committed).
constexpr const char* kScratchSchema = "stella_expected_schema";

struct Column {
  std::string type;
  bool not_null = false;
};

/// What the comparison looks at, with the schema name written as "evidence" throughout. Partitions
/// are left out: PostgreSQL gives each the columns, keys, indexes and foreign keys of its
/// partitioned table, which is compared, and a reindex adds one per generation it seals.
struct Catalog {
  /// table -> row level security enabled
  std::map<std::string, bool> tables;
  /// "table.column" -> type (with collation) and nullability
  std::map<std::string, Column> columns;
  /// "table: <constraint definition>" (names are not compared: a migration may name them
  /// differently; what they enforce must be the same).
  std::multiset<std::string> constraints;
  /// "table: <index definition without its name>"
  std::multiset<std::string> indexes;
};

std::string normalise(std::string text, const std::string& schema) {
  if (schema != kEvidenceSchema) {
    const std::string from = schema + ".";
    const std::string to = std::string(kEvidenceSchema) + ".";
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  }
  return text;
}

/// The tables of `schema`'s objects, but `ignored` (a reindex's generation being built), which the
/// schema version does not define and which are not drift.
Catalog read_catalog(PgConnection& connection, const std::string& schema,
                     const std::vector<std::string>& ignored = {}) {
  Catalog catalog;
  const std::string skipped = text_array_literal(ignored);
  const PgResult tables = connection.exec(
      "SELECT c.relname, c.relrowsecurity FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
      "AND NOT c.relname = ANY ($2::text[])",
      {schema, skipped});
  for (int r = 0; r < tables.rows(); ++r) {
    catalog.tables[std::string(tables.get(r, 0))] = tables.get(r, 1) == "t";
  }
  const PgResult columns = connection.exec(
      "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) || "
      "CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation "
      "THEN ' COLLATE ' || co.collname ELSE '' END, a.attnotnull "
      "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
      "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 "
      "AND NOT a.attisdropped AND NOT c.relname = ANY ($2::text[])",
      {schema, skipped});
  for (int r = 0; r < columns.rows(); ++r) {
    catalog.columns[std::string(columns.get(r, 0)) + "." + std::string(columns.get(r, 1))] =
        Column{std::string(columns.get(r, 2)), columns.get(r, 3) == "t"};
  }
  const PgResult constraints = connection.exec(
      "SELECT c.relname, pg_get_constraintdef(con.oid) FROM pg_constraint con "
      "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = $1 AND NOT c.relispartition AND NOT c.relname = ANY ($2::text[])",
      {schema, skipped});
  for (int r = 0; r < constraints.rows(); ++r) {
    catalog.constraints.insert(std::string(constraints.get(r, 0)) + ": " +
                               normalise(std::string(constraints.get(r, 1)), schema));
  }
  // Indexes that back a constraint are compared as that constraint.
  const PgResult indexes = connection.exec(
      "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
      "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = $1 AND NOT c.relispartition AND NOT c.relname = ANY ($2::text[]) "
      "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)",
      {schema, skipped});
  static const std::regex index_name(R"(INDEX \S+ ON )");
  for (int r = 0; r < indexes.rows(); ++r) {
    const std::string definition = std::regex_replace(
        normalise(std::string(indexes.get(r, 1)), schema), index_name, "INDEX ON ");
    catalog.indexes.insert(std::string(indexes.get(r, 0)) + ": " + definition);
  }
  return catalog;
}

/// The version's SQL with schema "evidence" renamed to the scratch schema.
std::string scratch_sql(const std::string& file) {
  static const std::regex qualified(R"(\bevidence\.)");
  static const std::regex schema_statement(R"(\bSCHEMA\s+evidence\b)");
  const std::optional<std::string_view> embedded = find_resource(file);
  if (!embedded) {
    throw sdk::Error(sdk::ErrorCode::internal, "embedded schema file " + file + " is missing");
  }
  std::string sql(*embedded);
  sql = std::regex_replace(sql, qualified, std::string(kScratchSchema) + ".");
  return std::regex_replace(sql, schema_statement, std::string("SCHEMA ") + kScratchSchema);
}

/// pg_get_constraintdef and pg_get_indexdef leave out the schema of a name the session's
/// search_path finds, so their text depends on who connects: a role named "evidence" (search_path
/// "$user", public) or a role or database setting that lists schema evidence would see the live
/// foreign keys unqualified and the scratch ones qualified, and report every one as missing and
/// extra. With only pg_catalog on the path, both catalogs are read with every name qualified. For
/// the current transaction only: the rest of the session keeps what it had.
void qualify_every_name(PgConnection& connection) {
  connection.exec("SET LOCAL search_path = pg_catalog");
}

Catalog expected_catalog(PgConnection& connection, const std::vector<std::string>& files) {
  connection.begin();
  try {
    qualify_every_name(connection);
    for (const std::string& file : files) {
      connection.execute_script(scratch_sql(file));
    }
    Catalog catalog = read_catalog(connection, kScratchSchema);
    connection.rollback();
    return catalog;
  } catch (...) {
    connection.rollback();
    throw;
  }
}

/// The digest tables of generations a reindex is building (evidence.artifact_digests_g<N>, until
/// its seal attaches them as partitions; docs/reindex.md): none on a store without generations.
std::vector<std::string> tables_of_building_generations(PgConnection& connection) {
  std::vector<std::string> tables;
  if (connection.exec("SELECT to_regclass('evidence.digest_generations') IS NULL").get(0, 0) ==
      "t") {
    return tables;
  }
  const PgResult rows = connection.exec(
      "SELECT 'artifact_digests_g' || generation FROM evidence.digest_generations "
      "WHERE state = 'building'");
  for (int r = 0; r < rows.rows(); ++r) {
    tables.emplace_back(rows.get(r, 0));
  }
  return tables;
}

void missing_and_extra(const std::multiset<std::string>& expected,
                       const std::multiset<std::string>& live, const char* missing_check,
                       const char* extra_check, const char* what, IntegrityCollector& collector) {
  std::multiset<std::string> missing;
  std::multiset<std::string> extra;
  std::set_difference(expected.begin(), expected.end(), live.begin(), live.end(),
                      std::inserter(missing, missing.end()));
  std::set_difference(live.begin(), live.end(), expected.begin(), expected.end(),
                      std::inserter(extra, extra.end()));
  for (const std::string& item : missing) {
    collector.add({"", missing_check, item, "", "", "", 0, item, "absent",
                   std::string("the ") + what + " " + item + " is missing from the live schema"});
  }
  if (extra_check != nullptr) {
    for (const std::string& item : extra) {
      collector.add({"", extra_check, item, "", "", "", 0, "absent", item,
                     std::string("the live schema has a ") + what + " the version does not " +
                         "define: " + item});
    }
  }
}

}  // namespace

void check_schema_objects(PgConnection& connection, const std::string& version,
                          IntegrityCollector& collector) {
  const std::vector<std::string> files = schema_sql_files(version);
  if (files.empty()) {
    collector.add({"", integrity_check_name::kUnreadable, "evidence.schema_version", "", "", "", 0,
                   "a schema version this build embeds", version,
                   "the store records schema version " + version +
                       ", whose SQL this build does not embed; use the stella release that "
                       "created the store"});
    return;
  }
  Catalog expected;
  try {
    expected = expected_catalog(connection, files);
  } catch (const sdk::Error& error) {
    collector.add({"", integrity_check_name::kUnreadable, kScratchSchema, "", "", "", 0,
                   "the expected schema built in a scratch schema", error.what(),
                   "could not build the expected objects of schema " + version +
                       " for comparison (the role needs CREATE on the database): " + error.what()});
    return;
  }
  Catalog live;
  {
    PgTransaction reads(connection);  // never committed: it only reads
    qualify_every_name(connection);
    live = read_catalog(connection, kEvidenceSchema, tables_of_building_generations(connection));
  }
  collector.count_checked(static_cast<std::int64_t>(expected.tables.size()));

  for (const auto& [table, row_security] : expected.tables) {
    const auto found = live.tables.find(table);
    if (found == live.tables.end()) {
      collector.add({"", integrity_check_name::kMissingTable, "evidence." + table, "", "", "", 0,
                     "table evidence." + table, "absent",
                     "table evidence." + table + " of schema " + version + " is missing"});
    } else if (found->second != row_security) {
      collector.add(
          {"", integrity_check_name::kRowSecurity, "evidence." + table, "", "", "", 0,
           row_security ? "enabled" : "disabled", found->second ? "enabled" : "disabled",
           "row level security of evidence." + table + " differs from schema " + version});
    }
  }
  for (const auto& [table, row_security] : live.tables) {
    if (!expected.tables.count(table)) {
      collector.add({"", integrity_check_name::kExtraTable, "evidence." + table, "", "", "", 0,
                     "absent", "table evidence." + table,
                     "table evidence." + table + " is not part of schema " + version});
    }
  }
  for (const auto& [name, column] : expected.columns) {
    const std::string table = name.substr(0, name.find('.'));
    if (!live.tables.count(table)) {
      continue;  // reported as a missing table
    }
    const auto found = live.columns.find(name);
    if (found == live.columns.end()) {
      collector.add({"", integrity_check_name::kMissingColumn, "evidence." + name, "", "", "", 0,
                     column.type, "absent",
                     "column evidence." + name + " (" + column.type + ") of schema " + version +
                         " is missing"});
      continue;
    }
    if (found->second.type != column.type) {
      collector.add({"", integrity_check_name::kColumnType, "evidence." + name, "", "", "", 0,
                     column.type, found->second.type,
                     "column evidence." + name + " has type " + found->second.type + "; schema " +
                         version + " defines " + column.type});
    }
    if (found->second.not_null != column.not_null) {
      collector.add({"", integrity_check_name::kColumnNullability, "evidence." + name, "", "", "",
                     0, column.not_null ? "NOT NULL" : "NULL allowed",
                     found->second.not_null ? "NOT NULL" : "NULL allowed",
                     "column evidence." + name + " nullability differs from schema " + version});
    }
  }
  for (const auto& [name, column] : live.columns) {
    const std::string table = name.substr(0, name.find('.'));
    if (expected.tables.count(table) && !expected.columns.count(name)) {
      collector.add({"", integrity_check_name::kExtraColumn, "evidence." + name, "", "", "", 0,
                     "absent", column.type,
                     "column evidence." + name + " is not part of schema " + version});
    }
  }
  missing_and_extra(expected.constraints, live.constraints,
                    integrity_check_name::kMissingConstraint,
                    integrity_check_name::kExtraConstraint, "constraint", collector);
  // Extra indexes are an operator's tuning, not drift; missing ones change what the store does.
  missing_and_extra(expected.indexes, live.indexes, integrity_check_name::kMissingIndex, nullptr,
                    "index", collector);
}

}  // namespace stella::host
