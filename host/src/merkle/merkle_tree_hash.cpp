#include "merkle/merkle_tree_hash.hpp"

#include <bit>

#include "stella/host/merkle/merkle_tree.hpp"

namespace stella::host::merkle_detail {

std::uint64_t largest_power_of_two_below(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

DigestBytes subtree_root(const TreeHasher& hasher, const std::vector<DigestBytes>& leaf_hashes,
                         std::uint64_t begin, std::uint64_t end) {
  MerkleRootBuilder builder(hasher);
  for (std::uint64_t i = begin; i < end; ++i) {
    builder.add_leaf_hash(leaf_hashes[i]);
  }
  return builder.root();
}

}  // namespace stella::host::merkle_detail

namespace stella::host {

DigestBytes merkle_root(const TreeHasher& hasher, const std::vector<DigestBytes>& leaf_hashes) {
  return merkle_detail::subtree_root(hasher, leaf_hashes, 0, leaf_hashes.size());
}

}  // namespace stella::host
