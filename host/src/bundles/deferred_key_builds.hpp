// Building the keys of bulk-loaded tables after the load, the way pg_restore does: a b-tree built
// once from sorted rows costs a fraction of a million single insertions into it. Only for a load
// into an empty store (deferred_reference_checks.hpp), inside the import's transaction, so that a
// failure rolls the dropped keys back with everything else.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Tables an import into an empty store fills with COPY alone, a row per bundle or per artifact:
/// their keys are built after the load. Keys that foreign keys rely on stay.
inline const std::vector<std::string> kKeysBuiltAfterLoad = {"artifacts", "bundles"};

/// What was dropped, and the statements that build it again.
struct DeferredKeys {
  /// "evidence.artifacts (artifacts_pkey)" for each key or index, for messages.
  std::vector<std::string> names;
  std::vector<std::string> rebuild_statements;
};

/// Locks `tables` (names in schema "evidence") ACCESS EXCLUSIVE until commit, then drops their
/// primary-key and unique constraints that no foreign key relies on, and their other indexes,
/// keeping each definition as the catalog gives it (pg_get_constraintdef, pg_get_indexdef). Call
/// only for tables the load fills with COPY alone: an INSERT ... ON CONFLICT needs its key.
DeferredKeys defer_key_builds(PgConnection& connection, std::span<const std::string> tables);

/// Builds every dropped key and index again, under its own name and definition. A duplicate key
/// in the loaded rows throws sdk::Error(verification_failed) naming the key and the row; the
/// caller's transaction then rolls back and nothing is imported.
void build_deferred_keys(PgConnection& connection, const DeferredKeys& keys);

}  // namespace stella::host
