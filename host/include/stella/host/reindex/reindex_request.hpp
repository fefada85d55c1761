// What the operator asked `stella evidence reindex` to do (docs/reindex.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace stella::host {

/// Artifacts per batch when --batch-size is not given: a batch commits in a few milliseconds, so
/// a crash loses little, and the per-batch round trips stay small against the hashing.
inline constexpr std::int64_t kDefaultReindexBatchSize = 1000;
/// Largest --batch-size accepted: a batch is read and written in one transaction.
inline constexpr std::int64_t kMaxReindexBatchSize = 1000000;
/// Largest --parallel accepted (each worker holds one PostgreSQL connection).
inline constexpr int kMaxReindexParallel = 64;

struct ReindexRequest {
  /// --algorithm; nullopt means the store's configured hash-algorithm.
  std::optional<std::string> algorithm;
  /// Artifacts per batch (bundles are never split, so a batch may hold a bundle larger than this).
  std::int64_t batch_size = kDefaultReindexBatchSize;
  /// --since, as RFC 3339 text (parse_date_argument); only bundles created at or after it.
  std::optional<std::string> since;
  /// Worker threads in this process, each with its own connection.
  int parallel = 1;
  /// --resume: continue the generation being built (its algorithm is the target; no setting
  /// needed); with none being built there is nothing to resume.
  bool resume = false;
  /// Who runs it, for the audit trail and the work table.
  std::string operator_name;
};

}  // namespace stella::host
