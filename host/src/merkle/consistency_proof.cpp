// Consistency proofs: PROOF(m, D[n]) and its verification, RFC 9162 §2.1.4.
#include <string>

#include "merkle/merkle_tree_hash.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

namespace {

using merkle_detail::largest_power_of_two_below;
using merkle_detail::subtree_root;

// SUBPROOF(old_size, D[begin:end], whole_old_tree) appended to `proof`.
void append_subproof(const TreeHasher& hasher, const std::vector<DigestBytes>& leaf_hashes,
                     std::uint64_t old_size, std::uint64_t begin, std::uint64_t end,
                     bool whole_old_tree, std::vector<DigestBytes>& proof) {
  const std::uint64_t size = end - begin;
  if (old_size == size) {
    // The verifier already knows the old tree's root, so it is left out at the top level only.
    if (!whole_old_tree) {
      proof.push_back(subtree_root(hasher, leaf_hashes, begin, end));
    }
    return;
  }
  const std::uint64_t split = largest_power_of_two_below(size);
  if (old_size <= split) {
    append_subproof(hasher, leaf_hashes, old_size, begin, begin + split, whole_old_tree, proof);
    proof.push_back(subtree_root(hasher, leaf_hashes, begin + split, end));
  } else {
    append_subproof(hasher, leaf_hashes, old_size - split, begin + split, end, false, proof);
    proof.push_back(subtree_root(hasher, leaf_hashes, begin, begin + split));
  }
}

bool is_odd(std::uint64_t value) {
  return (value & 1U) != 0;
}

bool is_power_of_two(std::uint64_t value) {
  return value != 0 && (value & (value - 1)) == 0;
}

}  // namespace

std::vector<DigestBytes> consistency_proof(const TreeHasher& hasher,
                                           const std::vector<DigestBytes>& leaf_hashes,
                                           std::uint64_t old_size) {
  if (old_size == 0 || old_size > leaf_hashes.size()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "no consistency proof from a tree of " + std::to_string(old_size) +
                         " leaves to a tree of " + std::to_string(leaf_hashes.size()) +
                         " leaves; expected an old size from 1 to " +
                         std::to_string(leaf_hashes.size()),
                     "compare a non-empty earlier tree with the same or a larger later tree");
  }
  std::vector<DigestBytes> proof;
  append_subproof(hasher, leaf_hashes, old_size, 0, leaf_hashes.size(), true, proof);
  return proof;
}

bool verify_consistency(const TreeHasher& hasher, std::uint64_t old_size, std::uint64_t new_size,
                        const DigestBytes& old_root, const DigestBytes& new_root,
                        const std::vector<DigestBytes>& proof) {
  if (old_size == 0 || old_size > new_size) {
    return false;
  }
  if (old_size == new_size) {
    return proof.empty() && old_root == new_root;
  }
  // The steps and names below are those of RFC 9162 §2.1.4.2.
  if (proof.empty()) {
    return false;
  }
  const std::size_t size = hasher.digest_size();
  if (old_root.size() != size || new_root.size() != size) {
    return false;
  }
  for (const auto& element : proof) {
    if (element.size() != size) {
      return false;
    }
  }
  // When the old tree is a perfect subtree of the new one, its root is the path's first node.
  const bool prepend_old_root = is_power_of_two(old_size);
  const auto path_at = [&](std::size_t i) -> const DigestBytes& {
    if (prepend_old_root) {
      return i == 0 ? old_root : proof[i - 1];
    }
    return proof[i];
  };
  const std::size_t path_size = proof.size() + (prepend_old_root ? 1 : 0);

  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while (is_odd(fn)) {
    fn >>= 1;
    sn >>= 1;
  }
  DigestBytes fr = path_at(0);
  DigestBytes sr = path_at(0);
  for (std::size_t i = 1; i < path_size; ++i) {
    const DigestBytes& c = path_at(i);
    if (sn == 0) {
      return false;
    }
    if (is_odd(fn) || fn == sn) {
      fr = hasher.hash_node(c, fr);
      sr = hasher.hash_node(c, sr);
      while (!is_odd(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = hasher.hash_node(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace stella::host
