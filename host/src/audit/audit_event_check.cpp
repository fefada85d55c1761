// One event's own hash and both its links, with the chain walker's rules and messages.
#include "stella/host/audit/audit_event_check.hpp"

#include <string>

#include "audit/audit_chain_walker.hpp"
#include "audit/chain_positions.hpp"
#include "stella/host/audit/audit_hash.hpp"

namespace stella::host {
namespace {

AuditChainProblem problem(AuditBreak kind, std::int64_t event_id, const ChainPosition* position,
                          std::string expected, std::string found, std::string message) {
  AuditChainProblem result;
  result.kind = kind;
  result.event_id = event_id;
  if (position != nullptr) {
    result.event_type = position->event_type;
    result.occurred_at = position->occurred_at;
  }
  result.expected = std::move(expected);
  result.found = std::move(found);
  result.message = std::move(message);
  return result;
}

std::string describe(const ChainPosition& position) {
  return "event " + std::to_string(position.id) + " (" + position.event_type + ", " +
         position.occurred_at + ")";
}

}  // namespace

std::optional<AuditChainProblem> check_audit_event_in_chain(PgConnection& connection,
                                                            std::int64_t id) {
  const std::string text_id = std::to_string(id);
  const PgResult rows = connection.exec(
      chain_positions_sql("id BETWEEN $1::bigint - 1 AND $1::bigint + 1"), {text_id});
  std::optional<ChainPosition> before;
  std::optional<ChainPosition> event;
  std::optional<ChainPosition> after;
  for (int r = 0; r < rows.rows(); ++r) {
    ChainPosition position = read_chain_position(rows, r);
    // A duplicate id (an event and a tombstone) keeps the first: audit verify names that break.
    std::optional<ChainPosition>& slot = position.id < id    ? before
                                         : position.id == id ? event
                                                             : after;
    if (!slot) {
      slot = std::move(position);
    }
  }
  if (!event) {
    return problem(AuditBreak::missing, id, nullptr, "event " + text_id,
                   "no event or tombstone with id " + text_id,
                   "event " + text_id + " is missing: no event or tombstone has id " + text_id +
                       " (it was deleted)");
  }
  std::string prev_hash(kAuditGenesisHash);
  if (id > 1) {
    if (!before) {
      const std::string previous = std::to_string(id - 1);
      return problem(AuditBreak::missing, id - 1, nullptr, "event " + previous,
                     "event " + text_id + " with prev_hash " + event->prev_hash,
                     "event " + previous + " is missing: event " + text_id +
                         "'s prev_hash points to " + event->prev_hash +
                         " which no event or tombstone has");
    }
    prev_hash = before->hash;
  }
  // The event itself and its link to the one before it: exactly the whole walk's rules.
  AuditChainWalker walker(id, prev_hash);
  if (!walker.visit(*event)) {
    return walker.report().problem;
  }
  if (after) {
    if (after->prev_hash != event->hash) {
      return problem(AuditBreak::broken_link, after->id, &*after, event->hash, after->prev_hash,
                     describe(*after) + " does not follow the event before it: its prev_hash is " +
                         after->prev_hash + " but event " + text_id + "'s hash is " + event->hash +
                         " (event " + text_id + " was rewritten with a new hash)");
    }
    return std::nullopt;
  }
  const PgResult head = connection.exec("SELECT last_id, last_hash FROM stella.audit_chain_head");
  if (head.rows() != 1) {
    return problem(AuditBreak::head_mismatch, id, nullptr, "one chain head row",
                   "no row in stella.audit_chain_head",
                   "the chain head row (stella.audit_chain_head) is missing");
  }
  const std::int64_t head_id = head.get_int64(0, 0);
  const std::string head_hash(head.get(0, 1));
  if (head_id > id) {
    const std::string next = std::to_string(id + 1);
    return problem(AuditBreak::missing, id + 1, nullptr, "event " + next,
                   "no event or tombstone with id " + next,
                   "event " + next + " is missing: the chain head records " +
                       std::to_string(head_id) +
                       " events, but no event or tombstone follows "
                       "event " +
                       text_id);
  }
  if (head_id < id || head_hash != event->hash) {
    return problem(AuditBreak::head_mismatch, id, &*event,
                   "the chain head at event " + text_id + " with hash " + event->hash,
                   "the chain head at event " + std::to_string(head_id) + " with hash " + head_hash,
                   "the chain head records hash " + head_hash + " for event " +
                       std::to_string(head_id) + ", but event " + text_id +
                       " is the last event and its hash is " + event->hash + " (event " + text_id +
                       " was rewritten with a new hash, or the head was "
                       "edited)");
  }
  return std::nullopt;
}

}  // namespace stella::host
