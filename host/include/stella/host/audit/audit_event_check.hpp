// Checking one audit event where it stands in the hash chain, without walking the whole chain:
// for a verb that cites an event (verify-continuity cites the root_hash_change event of a
// transition) and must not cite one that was changed.
#pragma once

#include <cstdint>
#include <optional>

#include "stella/host/audit/audit_chain_verifier.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Checks event `id` as `stella evidence audit verify` checks each event: it is stored (not
/// deleted, not left as a tombstone of a permanent event), its content recomputes to its stored
/// hash, and its prev_hash is the hash of the event or tombstone before it (the genesis hash for
/// event 1). Also checks the link after it — the next position's prev_hash, or the chain head when
/// it is the last event — so that rewriting the event's content together with its hash is caught.
/// nullopt when all of that holds; otherwise the first problem, named as audit verify names it.
/// Reads in the caller's transaction (or autocommit); the store must have an audit trail.
std::optional<AuditChainProblem> check_audit_event_in_chain(PgConnection& connection,
                                                            std::int64_t id);

}  // namespace stella::host
