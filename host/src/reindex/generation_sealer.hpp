// Sealing a new digest generation: covering the last stragglers under a short lock, computing its
// roots, recording the transition from the active generation, and making it active.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "reindex/bundle_digester.hpp"
#include "reindex/work_table.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// What a generation still lacks.
struct CoverageGap {
  /// Bundles without a root in the generation.
  std::int64_t bundles = 0;
  /// Artifacts without a digest in the generation.
  std::int64_t artifacts = 0;
  /// Of those, the ones created before the run's --since.
  std::int64_t bundles_before_since = 0;
  std::int64_t artifacts_before_since = 0;

  bool complete() const { return bundles == 0 && artifacts == 0; }
};

/// How a seal attempt ended. Zero is not a valid value.
enum class SealKind {
  /// This call sealed the generation.
  sealed = 1,
  /// Another worker sealed it first.
  sealed_elsewhere = 2,
  /// Records are still missing (outside --since); nothing was sealed.
  incomplete = 3,
};

struct SealResult {
  SealKind kind = SealKind::incomplete;
  CoverageGap gap;
  /// Bundles covered by the final passes (they arrived while the batches ran).
  DigestCounts stragglers;
  std::string old_global_root;
  std::string new_global_root;
  std::int64_t transition_id = 0;
  std::int64_t audit_event_id = 0;
  std::int64_t tenants = 0;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
};

struct SealInputs {
  ReindexRunRecord run;
  /// The new generation's hasher (the reindexer plugin).
  const TreeHasher* new_hasher = nullptr;
  /// The active generation's hasher, to recompute its tenant and global roots.
  const TreeHasher* old_hasher = nullptr;
  std::string operator_name;
  /// Bundles per transaction of the straggler passes.
  std::int64_t chunk_bundles = 0;
};

/// Covers stragglers (bundles that arrived after their range was done) in short transactions
/// without any lock, then — in one transaction holding SHARE ROW EXCLUSIVE locks on
/// evidence.bundles and evidence.artifacts, so no ingest commits in between — covers the last ones,
/// checks coverage, and when complete computes the roots, checks that the active generation's
/// recomputed roots equal its stored ones, stores the new roots, the transition and its
/// cross-references, appends the root_hash_change audit event, and makes the new generation
/// active. Retries the locked transaction on deadlock or lock timeout.
/// Throws sdk::Error(verification_failed) when the active generation's stored roots do not match
/// its bundle roots (nothing is sealed), sdk::Error(refused) on lasting lock conflicts.
SealResult seal_generation(PgConnection& connection, const SealInputs& inputs);

/// The coverage gap of `generation` (for a run with `since`, also how much lies before it).
CoverageGap coverage_gap(PgConnection& connection, int generation,
                         const std::optional<std::string>& since);

}  // namespace stella::host
