// What binds a tombstone to the prune that made it. A tombstone keeps the hash of the event it
// stands for, but its type, time and retention are no longer covered by that hash (the event's
// data is gone), so by themselves they prove nothing: anyone who can write to the database could
// turn any event into a "verification event past its retention". Each prune therefore records, in
// its own hash-chained audit_prune event, how many tombstones it made in which id range and a
// digest over their fields; verification accepts a tombstone only when a later, intact prune event
// accounts for it that way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stella::host {

/// The fields of one tombstone, as chain_positions_sql renders them (times in UTC, microseconds).
struct TombstoneFields {
  std::int64_t id = 0;
  std::string event_type;
  std::string occurred_at;
  std::string retention;
  std::string prev_hash;
  std::string hash;
  std::string pruned_at;
};

/// "sha256:<hex>" over one line per tombstone, in the order given (ascending id): the fields
/// separated by single spaces. Recorded by prune as `tombstones_sha256`.
std::string tombstones_digest(const std::vector<TombstoneFields>& tombstones);

/// What an audit_prune event's data says it removed.
struct PruneRecord {
  std::int64_t count = 0;
  std::optional<std::int64_t> first_id;
  std::optional<std::int64_t> last_id;
  /// Absent in prune events written before the digest was recorded: those are checked by count,
  /// range and time only.
  std::optional<std::string> tombstones_sha256;
};

/// Reads an audit_prune event's data; nullopt when it lacks `count` or has ids that are not
/// integers (written by hand or by another tool).
std::optional<PruneRecord> read_prune_record(const std::string& data);

}  // namespace stella::host
