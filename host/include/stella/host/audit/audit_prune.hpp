// Removing audit events whose retention has passed, leaving tombstones so the chain still
// verifies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

struct AuditPruneRequest {
  /// Remove only events that occurred before this time (text PostgreSQL accepts as timestamptz).
  std::string before;
  /// Count what would be removed and change nothing.
  bool dry_run = false;
  /// Recorded on the tombstones and on the audit_prune event.
  std::string operator_name;
};

struct AuditPruneResult {
  bool dry_run = false;
  /// `before` as canonical UTC text.
  std::string before;
  /// Now minus the 7-year retention, as canonical UTC text: nothing at or after it is removed.
  std::string retention_cutoff;
  /// Events removed (or, with dry_run, that would be).
  std::int64_t pruned = 0;
  std::optional<std::int64_t> first_id;
  std::optional<std::int64_t> last_id;
  /// The audit_prune event that records this prune (none for a dry run).
  std::optional<std::int64_t> audit_event_id;
};

/// Removes the events whose retention has passed and that occurred before `request.before`:
/// only "7y" (verification) events older than 7 years; never a permanent event. In one
/// transaction: locks the chain head, verifies the whole chain first (pruning a broken chain
/// would destroy the evidence of the break), moves each removed event to stella.audit_pruned
/// (id, type, time, hashes), and appends an audit_prune event with the count and `before`.
/// Must be called without an open transaction.
/// Throws sdk::Error(refused) when the store has no audit trail or the chain is broken (naming
/// the break), sdk::Error(internal) when a transaction is already open.
AuditPruneResult prune_audit_events(PgConnection& connection, const AuditPruneRequest& request);

}  // namespace stella::host
