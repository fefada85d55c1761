// Deferred key builds for a load into an empty store (deferred_key_builds.hpp).
#include "bundles/deferred_key_builds.hpp"

#include "stella/host/store/sqlstate.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Memory for each build's sort: a million keys of an artifact table sort in memory instead of
/// spilling to temporary files (PostgreSQL's default is 64 MB).
constexpr const char* kBuildMemory = "256MB";

/// Unique keys no foreign key references (one that is referenced cannot be dropped without the
/// foreign keys that rely on it), then the indexes that back no constraint; each with the
/// statement that drops it and the one that builds it again. $1: table names in schema evidence.
constexpr const char* kDeferrableSql =
    "SELECT format('%s (%s)', c.oid::regclass, con.conname), "
    "       format('ALTER TABLE %s DROP CONSTRAINT %I', c.oid::regclass, con.conname), "
    "       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.oid::regclass, con.conname, "
    "              pg_get_constraintdef(con.oid)) "
    "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'evidence' AND c.relname = ANY ($1::text[]) AND c.relkind = 'r' "
    "  AND con.contype IN ('p', 'u') "
    "  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' "
    "                  AND f.conindid = con.conindid) "
    "UNION ALL "
    "SELECT format('%s (%s)', c.oid::regclass, ic.relname), "
    "       format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid) "
    "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = "
    "i.indexrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'evidence' AND c.relname = ANY ($1::text[]) AND c.relkind = 'r' "
    "  AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid) "
    "ORDER BY 1";

}  // namespace

DeferredKeys defer_key_builds(PgConnection& connection, std::span<const std::string> tables) {
  DeferredKeys keys;
  if (tables.empty()) {
    return keys;
  }
  std::string locked;
  for (const std::string& table : tables) {
    locked += (locked.empty() ? "evidence." : ", evidence.") + table;
  }
  // Taken before the catalog is read, so that no session holds a lock the drops would wait for.
  connection.exec("LOCK TABLE " + locked + " IN ACCESS EXCLUSIVE MODE");
  const PgResult found = connection.exec(kDeferrableSql, {text_array_literal(tables)});
  for (int row = 0; row < found.rows(); ++row) {
    keys.names.emplace_back(found.get(row, 0));
    keys.rebuild_statements.emplace_back(found.get(row, 2));
  }
  for (int row = 0; row < found.rows(); ++row) {
    connection.exec(std::string(found.get(row, 1)));
  }
  return keys;
}

void build_deferred_keys(PgConnection& connection, const DeferredKeys& keys) {
  if (keys.rebuild_statements.empty()) {
    return;
  }
  connection.exec(std::string("SET LOCAL maintenance_work_mem = '") + kBuildMemory + "'");
  for (std::size_t i = 0; i < keys.rebuild_statements.size(); ++i) {
    try {
      connection.exec(keys.rebuild_statements[i]);
    } catch (const sdk::Error& e) {
      if (!reports_sqlstate(e, sqlstate::kUniqueViolation)) {
        throw;
      }
      throw sdk::Error(sdk::ErrorCode::verification_failed,
                       "the loaded rows break the unique key " + keys.names[i] + ": " + e.what() +
                           "; nothing was imported",
                       "this is a bug: report it with the source and `stella evidence "
                       "verify-bundle` output");
    }
  }
  connection.exec("RESET maintenance_work_mem");
}

}  // namespace stella::host
