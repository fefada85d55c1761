// Loading into an empty store the way pg_restore restores a dump: rows go in without a foreign-key
// check each, and every foreign key of schema "evidence" is then checked over whole tables in one
// join, before the import commits. A per-row check is a query of its own that also locks the
// referenced row; at a million artifacts those checks were most of the import's server time
// (docs/benchmarks.md).
#pragma once

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Inside the import's transaction, before anything is loaded: when the session may switch off
/// trigger-based checks (a superuser, as on the embedded cluster) and the store holds no bundle,
/// locks every table of schema "evidence" against writes until commit (SHARE ROW EXCLUSIVE: reads
/// go on; no writer can add, change or remove a row the checks rely on), then sets
/// session_replication_role = replica for the transaction, which stops the foreign-key triggers
/// (the schema has no other triggers). Returns false, changing nothing, otherwise: the load then
/// checks each row as it goes.
bool defer_reference_checks(PgConnection& connection);

/// Switches the triggers back on and checks every foreign key of schema "evidence" over its whole
/// table (rows with a NULL in the key are exempt, as MATCH SIMPLE has it). Throws
/// sdk::Error(verification_failed) naming each violated constraint, how many rows break it and one
/// of them; the caller's transaction then rolls back and nothing is imported.
void check_references_in_bulk(PgConnection& connection);

}  // namespace stella::host
