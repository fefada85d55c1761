// The tool's own state schema and its append-only, hash-chained audit trail (DESIGN.md §5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The PostgreSQL schema holding the tool's own state (runs, steps, checkpoints, audit, config).
inline constexpr const char* kStateSchema = "stella";

/// Audit event types. The first five are the runbook's "Audit Trail Requirements" table.
namespace audit_type {
inline constexpr const char* kMigrationStart = "migration_start";   // timestamp, version, operator
inline constexpr const char* kSchemaChange = "schema_change";       // before/after versions
inline constexpr const char* kRootHashChange = "root_hash_change";  // old, new, cross-reference
inline constexpr const char* kVerification = "verification";        // pass/fail, anomalies (7 y)
inline constexpr const char* kRollback = "rollback";                // reason, restored version
inline constexpr const char* kStoreInit = "store_init";
inline constexpr const char* kSeed = "seed";
inline constexpr const char* kExport = "export";
inline constexpr const char* kImport = "import";
inline constexpr const char* kQuarantine = "quarantine";
inline constexpr const char* kConfigChange = "config_change";
inline constexpr const char* kReindex = "reindex";
inline constexpr const char* kAuditPrune = "audit_prune";  // count, before (written by prune)
/// Every type above: the only ones stella writes.
inline constexpr const char* kAll[] = {
    kMigrationStart, kSchemaChange, kRootHashChange, kVerification, kRollback, kStoreInit, kSeed,
    kExport,         kImport,       kQuarantine,     kConfigChange, kReindex,  kAuditPrune};
}  // namespace audit_type

/// Creates the state schema and its tables when missing (idempotent, safe to call concurrently).
/// Applies every embedded "sql/state/NNN_*.sql" not yet applied, in name order, each exactly
/// once, recording it in stella.state_migrations, under a transaction-level advisory lock. Runs in
/// the caller's transaction when one is open, otherwise in its own.
/// A state schema that is already current is only read (no lock, no DDL), so that a role without
/// CREATE rights, or a read-only database, can run the verbs that read.
/// Throws sdk::Error(refused) when the store has a state file applied that this binary does not
/// embed, or one whose content differs from the embedded file (the store was written by another
/// version of stella), and when DDL is needed but the role may not run it or the database is
/// read-only (naming the role and what to do).
void ensure_state_schema(PgConnection& connection);

/// Appends one event inside the caller's open transaction, so the event commits or rolls back
/// with the change it records. Chains it to the previous event (hash of the previous event's hash
/// and this event's canonical content); concurrent appenders serialize on the chain head.
/// `data_json` is a JSON object with the event type's required fields. Returns the event id.
/// Throws sdk::Error(internal) when no transaction is open, when `data_json` is not a JSON object,
/// or when a required field of the type is missing or malformed (all bugs in the caller).
std::int64_t append_audit_event(PgConnection& connection, std::string_view type,
                                std::string_view operator_name, std::string_view data_json);

/// Testing only: like append_audit_event, but the event's occurred_at is `occurred_at` (any text
/// PostgreSQL accepts as timestamptz, e.g. "2017-03-01T00:00:00Z") instead of the clock. Tests use
/// it to create events old enough to be pruned; product code never calls it.
std::int64_t append_audit_event_at(PgConnection& connection, std::string_view type,
                                   std::string_view operator_name, std::string_view data_json,
                                   std::string_view occurred_at);

}  // namespace stella::host
