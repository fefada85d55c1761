// Every inclusion proof of one tree at once. RFC 9162's PATH(m, D[n]) computed leaf by leaf costs
// O(n) each, O(n²) for a tenant's bundles; keeping the tree's levels (about 2n digests) gives each
// proof in O(log n), which is what an export with --include-proofs needs.
#pragma once

#include <cstdint>
#include <vector>

#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::host {

/// The levels of the RFC 9162 tree over a list of leaf hashes: level 0 is the leaves, each next
/// level pairs the nodes of the one below left to right and carries an unpaired last node up
/// unchanged, which yields exactly MTH's split at the largest power of two below n.
///
/// Thread-safety: immutable after construction. The hasher must outlive the constructor only.
class MerkleLevels {
 public:
  MerkleLevels(const TreeHasher& hasher, std::vector<DigestBytes> leaf_hashes);

  std::uint64_t size() const { return levels_.empty() ? 0 : levels_.front().size(); }
  /// MTH over the leaves (the empty root is not known here: the caller handles size 0).
  const DigestBytes& root() const { return levels_.back().front(); }
  /// PATH(index, D[n]): sibling hashes from the leaf up. Throws sdk::Error(internal) when index is
  /// out of range.
  std::vector<DigestBytes> inclusion_path(std::uint64_t index) const;

 private:
  std::vector<std::vector<DigestBytes>> levels_;
};

}  // namespace stella::host
