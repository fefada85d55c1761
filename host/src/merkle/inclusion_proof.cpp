// Inclusion proofs: PATH(m, D[n]) and its verification, RFC 9162 §2.1.3.
#include <string>

#include "merkle/merkle_tree_hash.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

namespace {

using merkle_detail::largest_power_of_two_below;
using merkle_detail::subtree_root;

// PATH(index, D[begin:end]) appended to `path`, with index relative to begin.
void append_path(const TreeHasher& hasher, const std::vector<DigestBytes>& leaf_hashes,
                 std::uint64_t index, std::uint64_t begin, std::uint64_t end,
                 std::vector<DigestBytes>& path) {
  const std::uint64_t size = end - begin;
  if (size <= 1) {
    return;
  }
  const std::uint64_t split = largest_power_of_two_below(size);
  if (index < split) {
    append_path(hasher, leaf_hashes, index, begin, begin + split, path);
    path.push_back(subtree_root(hasher, leaf_hashes, begin + split, end));
  } else {
    append_path(hasher, leaf_hashes, index - split, begin + split, end, path);
    path.push_back(subtree_root(hasher, leaf_hashes, begin, begin + split));
  }
}

bool is_odd(std::uint64_t value) {
  return (value & 1U) != 0;
}

}  // namespace

std::vector<DigestBytes> inclusion_proof(const TreeHasher& hasher,
                                         const std::vector<DigestBytes>& leaf_hashes,
                                         std::uint64_t index) {
  if (index >= leaf_hashes.size()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "leaf index " + std::to_string(index) + " is outside a tree of " +
                         std::to_string(leaf_hashes.size()) + " leaves; expected an index below " +
                         std::to_string(leaf_hashes.size()),
                     "ask for the proof of a leaf that is in the tree (indexes start at 0)");
  }
  std::vector<DigestBytes> path;
  append_path(hasher, leaf_hashes, index, 0, leaf_hashes.size(), path);
  return path;
}

bool verify_inclusion(const TreeHasher& hasher, std::uint64_t index, std::uint64_t tree_size,
                      const DigestBytes& leaf_hash, const std::vector<DigestBytes>& proof,
                      const DigestBytes& root) {
  const std::size_t size = hasher.digest_size();
  if (index >= tree_size || leaf_hash.size() != size || root.size() != size) {
    return false;
  }
  for (const auto& element : proof) {
    if (element.size() != size) {
      return false;
    }
  }
  // The steps and names below are those of RFC 9162 §2.1.3.2.
  std::uint64_t fn = index;
  std::uint64_t sn = tree_size - 1;
  DigestBytes r = leaf_hash;
  for (const auto& p : proof) {
    if (sn == 0) {
      return false;
    }
    if (is_odd(fn) || fn == sn) {
      r = hasher.hash_node(p, r);
      while (!is_odd(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = hasher.hash_node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

}  // namespace stella::host
