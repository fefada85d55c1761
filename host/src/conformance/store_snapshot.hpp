// What a schema step must leave exactly as it found it: every table of the evidence schema (its
// columns, row count and a digest of its rows in a deterministic order), the store's version and
// its roots.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "stella/host/migration/migration_plan.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

struct TableSnapshot {
  /// "name type, name type, ..." in column order.
  std::string columns;
  std::int64_t rows = 0;
  /// sha256 of the rows' text forms, sorted bytewise, one per line.
  std::string rows_digest;
};

struct StoreSnapshot {
  std::string schema_version;
  /// Keyed by table name inside the evidence schema.
  std::map<std::string, TableSnapshot> tables;
  /// Roots as the migration machinery captures them (capture_store_state).
  StoreState state;
};

/// Takes a snapshot through `connection`, inside the caller's transaction when one is open (so
/// that it sees the caller's uncommitted changes). Throws what PgConnection throws.
StoreSnapshot take_store_snapshot(PgConnection& connection);

/// One line per difference in tables and rows ("table evidence.artifacts: 18 rows before, 17
/// after"); empty when equal.
std::vector<std::string> row_differences(const StoreSnapshot& before, const StoreSnapshot& after);

/// One line per difference in version and roots; empty when equal.
std::vector<std::string> root_differences(const StoreSnapshot& before, const StoreSnapshot& after);

}  // namespace stella::host
