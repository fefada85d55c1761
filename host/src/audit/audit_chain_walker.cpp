#include "audit/audit_chain_walker.hpp"

#include "stella/host/audit/audit_event_rules.hpp"
#include "stella/host/audit/audit_hash.hpp"
#include "stella/host/audit/audit_log.hpp"

namespace stella::host {
namespace {

std::string describe(const ChainPosition& position) {
  return "event " + std::to_string(position.id) + " (" + position.event_type + ", " +
         position.occurred_at + ")";
}

std::string id_range(std::int64_t first, std::int64_t last) {
  return first == last ? "event " + std::to_string(first) + " is"
                       : "events " + std::to_string(first) + " to " + std::to_string(last) + " are";
}

}  // namespace

const char* audit_break_name(AuditBreak kind) {
  switch (kind) {
    case AuditBreak::altered:
      return "altered";
    case AuditBreak::broken_link:
      return "broken_link";
    case AuditBreak::missing:
      return "missing";
    case AuditBreak::duplicate:
      return "duplicate";
    case AuditBreak::unprunable_removed:
      return "unprunable_removed";
    case AuditBreak::head_mismatch:
      return "head_mismatch";
    case AuditBreak::unaccounted_tombstone:
      return "unaccounted_tombstone";
    case AuditBreak::anchor_missing:
      return "anchor_missing";
  }
  return "unknown";
}

AuditChainWalker::AuditChainWalker() : expected_prev_hash_(kAuditGenesisHash) {
  report_.head_hash = std::string(kAuditGenesisHash);
}

AuditChainWalker::AuditChainWalker(std::int64_t first_id, std::string prev_hash)
    : expected_id_(first_id),
      expected_prev_hash_(std::move(prev_hash)),
      account_tombstones_(false) {
  report_.head_hash = std::string(kAuditGenesisHash);
}

void AuditChainWalker::fail(AuditBreak kind, std::int64_t event_id, const ChainPosition* position,
                            std::string expected, std::string found, std::string message) {
  AuditChainProblem problem;
  problem.kind = kind;
  problem.event_id = event_id;
  if (position != nullptr) {
    problem.event_type = position->event_type;
    problem.occurred_at = position->occurred_at;
  }
  problem.expected = std::move(expected);
  problem.found = std::move(found);
  problem.message = std::move(message);
  report_.problem = std::move(problem);
}

bool AuditChainWalker::visit(const ChainPosition& position) {
  if (report_.problem) {
    return false;
  }
  const std::string id = std::to_string(position.id);
  if (position.id < expected_id_) {
    fail(AuditBreak::duplicate, position.id, &position, "one event or one tombstone with id " + id,
         "both an event and a tombstone with id " + id,
         "event " + id + " (" + position.event_type + ", " + position.occurred_at +
             ") is both an event (stella.audit_events) and a tombstone of a pruned event "
             "(stella.audit_pruned); a pruned event exists only as its tombstone");
    return false;
  }
  if (position.id > expected_id_) {
    const std::int64_t last_missing = position.id - 1;
    fail(AuditBreak::missing, expected_id_, nullptr, "event " + std::to_string(expected_id_),
         "event " + id + " with prev_hash " + position.prev_hash,
         position.prev_hash == expected_prev_hash_
             ? id_range(expected_id_, last_missing) + " missing: event " + id +
                   " chains directly to event " + std::to_string(expected_id_ - 1) +
                   ", but ids must be consecutive"
             : id_range(expected_id_, last_missing) + " missing: event " + id +
                   "'s prev_hash points to " + position.prev_hash +
                   " which no event or tombstone has");
    return false;
  }
  if (position.prev_hash != expected_prev_hash_) {
    const std::string previous = position.id == 1
                                     ? std::string("the genesis hash")
                                     : "event " + std::to_string(position.id - 1) + "'s hash";
    fail(AuditBreak::broken_link, position.id, &position, expected_prev_hash_, position.prev_hash,
         describe(position) + " does not follow the event before it: its prev_hash is " +
             position.prev_hash + " but " + previous + " is " + expected_prev_hash_);
    return false;
  }
  if (position.tombstone) {
    if (position.event_type != audit_type::kVerification ||
        position.retention != kRetentionSevenYears) {
      fail(AuditBreak::unprunable_removed, position.id, &position,
           "a stored " + position.event_type + " event (permanent)",
           "a tombstone pruned at " + position.pruned_at,
           describe(position) + " was removed and left as a tombstone, but " + position.event_type +
               " events are permanent and may never be pruned");
      return false;
    }
    if (!position.was_past_retention) {
      fail(AuditBreak::unprunable_removed, position.id, &position,
           "a stored event (within its " + std::to_string(kVerificationRetentionYears) +
               "-year retention when pruned)",
           "a tombstone pruned at " + position.pruned_at,
           describe(position) + " was pruned at " + position.pruned_at + ", before its " +
               std::to_string(kVerificationRetentionYears) + "-year retention ended");
      return false;
    }
    if (account_tombstones_) {
      unaccounted_.push_back({position.id, position.event_type, position.occurred_at,
                              position.retention, position.prev_hash, position.hash,
                              position.pruned_at});
    }
  } else {
    AuditEventContent content;
    content.id = position.id;
    content.occurred_at = position.occurred_at;
    content.event_type = position.event_type;
    content.operator_name = position.operator_name;
    content.retention = position.retention;
    content.data = position.data;
    const std::string recomputed = audit_event_hash(position.prev_hash, content);
    if (recomputed != position.hash) {
      fail(AuditBreak::altered, position.id, &position, recomputed, position.hash,
           describe(position) + " was altered after it was written: its content hashes to " +
               recomputed + " but its stored hash is " + position.hash);
      return false;
    }
    if (account_tombstones_ && position.event_type == audit_type::kAuditPrune &&
        !account_for_prune(position)) {
      return false;
    }
  }
  if (report_.events == 0) {
    report_.first_occurred_at = position.occurred_at;
  }
  report_.last_occurred_at = position.occurred_at;
  ++report_.events;
  if (position.tombstone) {
    ++report_.pruned;
  }
  expected_prev_hash_ = position.hash;
  expected_id_ = position.id + 1;
  return true;
}

bool AuditChainWalker::account_for_prune(const ChainPosition& prune) {
  const std::optional<PruneRecord> record = read_prune_record(prune.data);
  if (!record) {
    fail(AuditBreak::unaccounted_tombstone, prune.id, &prune,
         "an audit_prune record with count, first_id and last_id", prune.data,
         describe(prune) +
             " does not say what it pruned (no count, or ids that are not numbers); "
             "it was not written by `stella evidence audit prune`");
    return false;
  }
  std::vector<TombstoneFields> made;
  std::vector<TombstoneFields> others;
  for (TombstoneFields& tombstone : unaccounted_) {
    const bool in_range = record->first_id && record->last_id &&
                          tombstone.id >= *record->first_id && tombstone.id <= *record->last_id;
    (in_range ? made : others).push_back(std::move(tombstone));
  }
  unaccounted_ = std::move(others);
  const std::string range =
      record->first_id && record->last_id
          ? "ids " + std::to_string(*record->first_id) + " to " + std::to_string(*record->last_id)
          : std::string("no ids");
  if (static_cast<std::int64_t>(made.size()) != record->count) {
    fail(AuditBreak::unaccounted_tombstone, prune.id, &prune,
         std::to_string(record->count) + " tombstones in " + range,
         std::to_string(made.size()) + " tombstones in " + range,
         describe(prune) + " records " + std::to_string(record->count) + " pruned events in " +
             range + ", but " + std::to_string(made.size()) +
             " tombstones lie there: tombstones were added or removed by hand");
    return false;
  }
  for (const TombstoneFields& tombstone : made) {
    // Both are UTC times rendered alike, so the text order is the time order.
    if (tombstone.pruned_at > prune.occurred_at) {
      fail(AuditBreak::unaccounted_tombstone, tombstone.id, nullptr,
           "pruned at or before " + prune.occurred_at + " (audit event " +
               std::to_string(prune.id) + ", the prune that accounts for it)",
           "pruned at " + tombstone.pruned_at,
           "the tombstone of event " + std::to_string(tombstone.id) + " says it was pruned at " +
               tombstone.pruned_at + ", after the prune that accounts for it (audit event " +
               std::to_string(prune.id) + ", " + prune.occurred_at + "): it was edited by hand");
      return false;
    }
  }
  if (record->tombstones_sha256) {
    const std::string recomputed = tombstones_digest(made);
    if (recomputed != *record->tombstones_sha256) {
      fail(AuditBreak::unaccounted_tombstone, prune.id, &prune, *record->tombstones_sha256,
           recomputed,
           describe(prune) + " records the digest " + *record->tombstones_sha256 +
               " of the tombstones it made (" + range + "), but they now digest to " + recomputed +
               ": a tombstone's type, time, retention or hashes were edited by hand");
      return false;
    }
  }
  return true;
}

void AuditChainWalker::finish(std::optional<std::int64_t> head_id, const std::string& head_hash) {
  if (head_id) {
    report_.head_id = *head_id;
    report_.head_hash = head_hash;
  }
  if (report_.problem) {
    return;
  }
  const std::int64_t last_id = expected_id_ - 1;
  const std::string last = std::to_string(last_id);
  if (!head_id) {
    fail(
        AuditBreak::head_mismatch, last_id, nullptr, "one chain head row",
        "no row in stella.audit_chain_head",
        "the chain head row (stella.audit_chain_head) is missing; the last event found is " + last);
    return;
  }
  if (*head_id > last_id) {
    fail(AuditBreak::missing, last_id + 1, nullptr, "events up to " + std::to_string(*head_id),
         last_id == 0 ? std::string("no event") : "events up to " + last,
         id_range(last_id + 1, *head_id) + " missing: the chain head records " +
             std::to_string(*head_id) + " events ending in " + head_hash + ", but " +
             (last_id == 0 ? std::string("no event or tombstone was found")
                           : "the last event or tombstone found is " + last));
    return;
  }
  if (*head_id < last_id) {
    fail(AuditBreak::head_mismatch, *head_id + 1, nullptr,
         "events up to " + std::to_string(*head_id) + " (the chain head)", "events up to " + last,
         "event " + std::to_string(*head_id + 1) +
             " lies beyond the chain head: the head records " + std::to_string(*head_id) +
             " events, but events continue to " + last +
             " (the head was edited, or events were inserted without it)");
    return;
  }
  if (head_hash != expected_prev_hash_) {
    fail(AuditBreak::head_mismatch, last_id, nullptr, expected_prev_hash_, head_hash,
         "the chain head records hash " + head_hash + " for event " + last + ", but event " + last +
             "'s hash is " + expected_prev_hash_);
    return;
  }
  if (!unaccounted_.empty()) {
    const TombstoneFields& first = unaccounted_.front();
    ChainPosition position;
    position.event_type = first.event_type;
    position.occurred_at = first.occurred_at;
    fail(AuditBreak::unaccounted_tombstone, first.id, &position,
         "an audit_prune event after it that accounts for it", "none",
         "event " + std::to_string(first.id) + " (" + first.event_type + ", " + first.occurred_at +
             ") is a tombstone that no audit_prune event accounts for: it was not pruned by "
             "`stella evidence audit prune` but removed by hand (" +
             std::to_string(unaccounted_.size()) + " such tombstone" +
             (unaccounted_.size() == 1 ? "" : "s") + ")");
  }
}

}  // namespace stella::host
