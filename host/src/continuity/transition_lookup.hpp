// Finding the recorded transition between two global roots, and checking its audit record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/continuity/continuity_report.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The transition recorded with both roots; else the newest one to `new_root`; else the newest
/// one from `old_root`; nullopt when none matches (a wrong root given on both sides).
std::optional<TransitionRecord> find_transition(PgConnection& connection,
                                                const std::string& old_root,
                                                const std::string& new_root);

/// When a transition is recorded from `new_root` to `old_root` — the two roots given the wrong way
/// round — says so and how to give them; nullopt otherwise.
std::optional<std::string> swapped_roots_hint(PgConnection& connection, const std::string& old_root,
                                              const std::string& new_root);

/// One recorded transition of a chain.
struct TransitionHop {
  std::int64_t transition_id = 0;
  std::string old_root;
  std::string new_root;
};

/// The recorded transitions that lead from `old_root` to `new_root` one after the other (each
/// hop's new root the next one's old root), shortest first; empty when none do. A chain of one is
/// a transition that find_transition finds itself.
std::vector<TransitionHop> transition_chain(PgConnection& connection, const std::string& old_root,
                                            const std::string& new_root);

/// Every recorded transition in one line, to show next to roots that match none
/// ("#1 generation 1 sha256:ab.. -> generation 2 sha512:cd..; ..." or "no transition recorded").
std::string recorded_transitions_text(PgConnection& connection);

/// What is wrong with an audit event a report cites.
struct AuditRecordProblem {
  std::string expected;
  std::string found;
  /// One sentence naming the event ("audit event 12 records new_root sha512:..").
  std::string message;
};

/// nullopt when the transition's root_hash_change audit event exists, is intact where it stands
/// in the hash chain (its hash recomputes and it links to the events around it, as `stella
/// evidence audit verify` checks) and records the transition's roots and id; otherwise what is
/// wrong.
std::optional<AuditRecordProblem> transition_audit_problem(PgConnection& connection,
                                                           const TransitionRecord& transition);

/// nullopt when audit event `id` is intact where it stands in the hash chain; otherwise the
/// break, naming the event.
std::optional<AuditRecordProblem> audit_event_chain_problem(PgConnection& connection,
                                                            std::int64_t id);

}  // namespace stella::host
