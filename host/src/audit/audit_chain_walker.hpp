// The verification logic of the audit chain, separate from how rows are read, so that every kind
// of break can be tested on plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <vector>

#include "audit/tombstone_ledger.hpp"
#include "stella/host/audit/audit_chain_verifier.hpp"

namespace stella::host {

/// One position of the chain: a stored event or the tombstone of a pruned one.
struct ChainPosition {
  std::int64_t id = 0;
  bool tombstone = false;
  std::string occurred_at;
  std::string event_type;
  /// Event only (tombstones keep no operator or data).
  std::string operator_name;
  std::string retention;
  std::string data;
  std::string prev_hash;
  std::string hash;
  /// Tombstone only: when it was pruned, and whether the event was then past its retention.
  std::string pruned_at;
  bool was_past_retention = false;
};

/// Feed positions in ascending id order (an event and a tombstone with the same id one after the
/// other), then the chain head. Stops at the first break, recorded in the report.
class AuditChainWalker {
 public:
  AuditChainWalker();
  /// A walk that starts mid-chain at `first_id`, whose predecessor's hash is `prev_hash`: to check
  /// one event (and the link to the event before it) the way the whole walk would. It does not
  /// account tombstones to prunes: the prune that made one may lie outside the part walked.
  AuditChainWalker(std::int64_t first_id, std::string prev_hash);

  /// Checks one position against everything before it. Returns false once a break is found (the
  /// caller should stop reading).
  bool visit(const ChainPosition& position);

  /// Checks the chain head against the last position; nullopt head means the head row is absent.
  void finish(std::optional<std::int64_t> head_id, const std::string& head_hash);

  const AuditChainReport& report() const { return report_; }

 private:
  void fail(AuditBreak kind, std::int64_t event_id, const ChainPosition* position,
            std::string expected, std::string found, std::string message);
  /// Settles the tombstones an intact audit_prune event says it made; false on a mismatch.
  bool account_for_prune(const ChainPosition& prune);

  AuditChainReport report_;
  std::int64_t expected_id_ = 1;
  std::string expected_prev_hash_;
  bool account_tombstones_ = true;
  /// Tombstones seen and not yet accounted for by a prune event, in id order.
  std::vector<TombstoneFields> unaccounted_;
};

}  // namespace stella::host
