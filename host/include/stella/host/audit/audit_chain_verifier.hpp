// Walks the whole audit chain (events and tombstones of pruned events, by id) recomputing every
// hash, and names the first place it is broken.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// What kind of break the verifier found (docs/audit-trail.md lists them with their meaning).
enum class AuditBreak {
  /// An event's content no longer hashes to its stored hash (data, time, type, operator or the
  /// hash itself was edited).
  altered = 1,
  /// An event's prev_hash is not the hash of the event before it.
  broken_link = 2,
  /// An id is absent from both events and tombstones: the event was deleted.
  missing = 3,
  /// The same id is both an event and a tombstone.
  duplicate = 4,
  /// A tombstone stands for an event that may never be pruned (not a verification event, or not
  /// yet past its retention when it was pruned).
  unprunable_removed = 5,
  /// The chain head disagrees with the last event (head edited, or events appended around it).
  head_mismatch = 6,
  /// A tombstone no later audit_prune event accounts for (by id range, count and digest of the
  /// tombstones' fields), or whose pruned_at is after the prune that accounts for it: made by hand.
  unaccounted_tombstone = 7,
  /// The chain verifies, but no event or tombstone has the head hash an operator anchored outside
  /// the database (`audit verify --expect-head`): events up to it were removed or rewritten, and
  /// every later hash recomputed.
  anchor_missing = 8,
};

/// The stable name of a break kind ("altered", "broken_link", ...), used in JSON output.
const char* audit_break_name(AuditBreak kind);

/// The first break found.
struct AuditChainProblem {
  AuditBreak kind = AuditBreak::altered;
  /// The id of the first broken event (for `missing`, the id that is absent).
  std::int64_t event_id = 0;
  /// Type and time of that event when it (or its tombstone) exists.
  std::optional<std::string> event_type;
  std::optional<std::string> occurred_at;
  /// What the chain requires there, and what is stored.
  std::string expected;
  std::string found;
  /// One sentence naming the event, what was expected and what was found.
  std::string message;
};

struct AuditChainReport {
  /// Chain positions walked: events still present plus tombstones (up to the first break).
  std::int64_t events = 0;
  /// How many of them are tombstones of pruned events.
  std::int64_t pruned = 0;
  /// occurred_at of the first and last position walked; empty for an empty chain.
  std::optional<std::string> first_occurred_at;
  std::optional<std::string> last_occurred_at;
  /// The chain head as recorded in stella.audit_chain_head (id 0 and the genesis hash when empty).
  std::int64_t head_id = 0;
  std::string head_hash;
  /// nullopt when the chain is intact.
  std::optional<AuditChainProblem> problem;

  bool intact() const { return !problem.has_value(); }
};

/// Verifies the chain. Streams through a server-side cursor, so memory stays flat however long
/// the chain is. Without an open transaction it opens a REPEATABLE READ one (a consistent snapshot
/// without blocking appenders) and ends it; inside the caller's READ COMMITTED transaction it
/// first locks the chain head FOR SHARE, which holds back appenders until that transaction ends.
/// Throws sdk::Error(refused) when the store has no audit trail (hint: stella evidence init), and
/// the connection's errors otherwise. A broken chain is reported, not thrown.
AuditChainReport verify_audit_chain(PgConnection& connection);

/// Checks an intact `report` of `connection`'s chain against a head hash kept outside the database
/// (`anchored_hash`, "sha256:<hex>"): sets report.problem (anchor_missing) when no event or
/// tombstone of the chain has that hash. Does nothing to a broken report.
void check_audit_anchor(PgConnection& connection, AuditChainReport& report,
                        const std::string& anchored_hash);

}  // namespace stella::host
