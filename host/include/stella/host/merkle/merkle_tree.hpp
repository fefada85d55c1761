// RFC 9162 (RFC 6962) Merkle Tree Hash, inclusion and consistency proofs.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::host {

/// Computes MTH over leaf hashes added one at a time, in O(log n) memory: the tree of a million
/// artifacts needs about twenty digests in flight, not a million.
///
/// Thread-safety: one thread at a time. The hasher must outlive the builder.
class MerkleRootBuilder {
 public:
  explicit MerkleRootBuilder(const TreeHasher& hasher) : hasher_(&hasher) {}
  /// Appends a leaf given as its leaf hash (already hashed with hash_leaf).
  void add_leaf_hash(DigestBytes leaf_hash);
  /// Number of leaves added.
  std::uint64_t size() const { return size_; }
  /// The root over the leaves added so far (the empty root when none). Does not reset.
  DigestBytes root() const;

 private:
  const TreeHasher* hasher_;
  std::uint64_t size_ = 0;
  /// Roots of perfect subtrees, largest first (the binary representation of size_).
  std::vector<std::pair<std::uint64_t, DigestBytes>> stack_;
};

/// MTH over all leaf hashes.
DigestBytes merkle_root(const TreeHasher& hasher, const std::vector<DigestBytes>& leaf_hashes);

/// PATH(index, D[n]) of RFC 9162 §2.1.3.1. Throws sdk::Error(invalid_input) if index >= size.
std::vector<DigestBytes> inclusion_proof(const TreeHasher& hasher,
                                         const std::vector<DigestBytes>& leaf_hashes,
                                         std::uint64_t index);

/// Verifies an inclusion proof (RFC 9162 §2.1.3.2). Returns false on any mismatch or malformed
/// proof; never throws for bad input.
bool verify_inclusion(const TreeHasher& hasher, std::uint64_t index, std::uint64_t tree_size,
                      const DigestBytes& leaf_hash, const std::vector<DigestBytes>& proof,
                      const DigestBytes& root);

/// PROOF(m, D[n]) of RFC 9162 §2.1.4.1 for the first `old_size` leaves. The proof is empty when
/// old_size equals the tree size. Throws sdk::Error(invalid_input) when old_size is 0 (RFC 9162
/// defines no proof from the empty tree) or larger than the tree.
std::vector<DigestBytes> consistency_proof(const TreeHasher& hasher,
                                           const std::vector<DigestBytes>& leaf_hashes,
                                           std::uint64_t old_size);

/// Verifies a consistency proof (RFC 9162 §2.1.4.2). Returns false on any mismatch or malformed
/// proof; never throws for bad input. Equal sizes (> 0) are consistent exactly when the proof is
/// empty and the roots are equal; old_size 0 is never accepted (RFC 9162 requires 0 < old_size).
bool verify_consistency(const TreeHasher& hasher, std::uint64_t old_size, std::uint64_t new_size,
                        const DigestBytes& old_root, const DigestBytes& new_root,
                        const std::vector<DigestBytes>& proof);

}  // namespace stella::host
