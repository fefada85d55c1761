// Tenant and global roots of two generations side by side, from their stored bundle roots: what
// sealing a new generation stores, and what its transition cross-references.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// One generation's algorithm and number.
struct GenerationHasher {
  int generation = 0;
  const TreeHasher* hasher = nullptr;
};

struct TenantRootPair {
  std::string tenant_id;
  std::string old_root;
  std::string new_root;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
};

struct GenerationRootPair {
  /// Every tenant, in tenant id order (tenants without bundles have the empty-tree root).
  std::vector<TenantRootPair> tenants;
  std::string old_global_root;
  std::string new_global_root;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
};

/// Walks every bundle in Merkle order (tenant id; sealed_at, bundle id) with its stored root in
/// both generations and folds them into tenant and global roots (docs/merkle.md). When
/// `bundle_links_table` is given (a table with columns bundle_id, old_root, new_root), each
/// bundle's pair of roots is also COPYed into it as the walk goes, a chunk at a time. Memory: one
/// entry per tenant plus O(log n) digests per tree plus one chunk. Throws sdk::Error(refused)
/// naming the bundle when a bundle has no stored root in either generation.
GenerationRootPair compute_generation_roots(
    PgConnection& connection, GenerationHasher old_side, GenerationHasher new_side,
    const std::optional<std::string>& bundle_links_table = std::nullopt);

}  // namespace stella::host
