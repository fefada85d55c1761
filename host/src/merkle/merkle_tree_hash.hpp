// The Merkle Tree Hash (RFC 9162 §2.1.1) over a range of leaf hashes, shared by merkle_root and
// the proof generators.
#pragma once

#include <cstdint>
#include <vector>

#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::host::merkle_detail {

/// The largest power of two strictly smaller than n (RFC 9162's k). Requires n >= 2.
std::uint64_t largest_power_of_two_below(std::uint64_t n);

/// MTH(D[begin:end]) over leaf_hashes. Requires begin <= end <= leaf_hashes.size().
DigestBytes subtree_root(const TreeHasher& hasher, const std::vector<DigestBytes>& leaf_hashes,
                         std::uint64_t begin, std::uint64_t end);

}  // namespace stella::host::merkle_detail
