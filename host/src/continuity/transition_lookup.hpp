// Finding the recorded transition between two global roots, and checking its audit record.
#pragma once

#include <optional>
#include <string>

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

/// Every recorded transition in one line, to show next to roots that match none
/// ("#1 generation 1 sha256:ab.. -> generation 2 sha512:cd..; ..." or "no transition recorded").
std::string recorded_transitions_text(PgConnection& connection);

/// Empty when the transition's root_hash_change audit event exists and records the transition's
/// roots and id; otherwise what is wrong ("audit event 12 records new_root sha512:..").
std::string transition_audit_problem(PgConnection& connection, const TransitionRecord& transition);

}  // namespace stella::host
