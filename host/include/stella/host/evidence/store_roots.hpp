// Recomputing the stored tenant roots and global root from the stored bundle roots (after a seed,
// an import, or any change of the set of bundles).
#pragma once

#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::host {

/// Transaction-level advisory lock held by everything that adds bundles and recomputes the stored
/// roots (seed, import, orphans --quarantine), so that two of them never compute roots that miss
/// each other's bundles. Taken before kImportLockKey wherever both are taken.
inline constexpr long long kEvidenceWriteLockKey = 0x7374656c6c610201;  // "stella" 2.1
/// Transaction-level advisory lock that serialises concurrent imports into one database.
inline constexpr long long kImportLockKey = 0x7374656c6c610601;  // "stella" + "import"

/// The tenant roots and global root over the bundles the connection sees (its own uncommitted rows
/// included), walking bundles in Merkle order with O(log n) memory per tree (docs/merkle.md).
ComputedRoots compute_roots(PgConnection& connection, const StoreLayout& layout,
                            const TreeHasher& hasher);

/// Replaces the stored tenant roots and global root of `generation` (schema 2.0 tables) with
/// `roots`, in the caller's transaction: what a 2.0 layout stores for its active generation, a
/// reindex for the generation it seals, and ingest for every other sealed generation.
void store_generation_roots(PgConnection& connection, int generation, const ComputedRoots& roots);

/// compute_roots, then stores them through the layout, inside the caller's transaction.
ComputedRoots recompute_stored_roots(PgConnection& connection, const StoreLayout& layout,
                                     const TreeHasher& hasher);

}  // namespace stella::host
