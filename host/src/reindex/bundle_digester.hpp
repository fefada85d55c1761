// The unit of reindex work: give every artifact of a set of bundles a digest in the new
// generation, and each of those bundles its root, inside the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Which bundles: ids in [lower, upper) (nullopt = unbounded), created at or after `since` (when
/// given), among `bundle_ids` (when given), that have no root in the generation yet; at most
/// `limit` of them (nullopt = all), in bundle id order.
struct BundleSelection {
  std::optional<std::string> lower;
  std::optional<std::string> upper;
  std::optional<std::string> since;
  std::optional<std::int64_t> limit;
  std::optional<std::vector<std::string>> bundle_ids;
};

/// What one call covered.
struct DigestCounts {
  std::int64_t bundles = 0;
  /// Artifacts of those bundles (each now has a digest in the generation).
  std::int64_t artifacts = 0;
  /// Artifacts hashed here (each distinct content once per batch; shared contents count once per
  /// artifact).
  std::int64_t hashed = 0;
  /// Bytes hashed here.
  std::int64_t bytes = 0;

  DigestCounts& operator+=(const DigestCounts& other);
};

/// Where the digests and roots are written: the store's tables, the table of a generation being
/// built (generation_digests_table.hpp), or (for the dry run's measured sample) temporary tables of
/// the same shape.
struct DigestTables {
  std::string digests = "evidence.artifact_digests";
  std::string roots = "evidence.bundle_roots";
};

/// Reads the selected bundles' artifacts with their bytes, hashes them with
/// `hasher`, and writes their digests (evidence.artifact_digests) and each bundle's root
/// (evidence.bundle_roots, docs/merkle.md) for `generation`. Payloads and other generations are
/// only read. Runs inside the caller's open transaction (throws sdk::Error(internal) when none is
/// open), so the caller commits this work together with its checkpoint.
DigestCounts digest_bundles(PgConnection& connection, const TreeHasher& hasher, int generation,
                            const BundleSelection& selection, const DigestTables& tables = {});

}  // namespace stella::host
