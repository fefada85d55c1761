#include "stella/host/bundles/merkle_levels.hpp"

#include "stella/sdk/error.hpp"

namespace stella::host {

MerkleLevels::MerkleLevels(const TreeHasher& hasher, std::vector<DigestBytes> leaf_hashes) {
  if (leaf_hashes.empty()) {
    return;
  }
  levels_.push_back(std::move(leaf_hashes));
  while (levels_.back().size() > 1) {
    const std::vector<DigestBytes>& below = levels_.back();
    std::vector<DigestBytes> above;
    above.reserve((below.size() + 1) / 2);
    for (std::size_t i = 0; i < below.size(); i += 2) {
      if (i + 1 < below.size()) {
        above.push_back(hasher.hash_node(below[i], below[i + 1]));
      } else {
        above.push_back(below[i]);
      }
    }
    levels_.push_back(std::move(above));
  }
}

std::vector<DigestBytes> MerkleLevels::inclusion_path(std::uint64_t index) const {
  if (index >= size()) {
    throw sdk::Error(sdk::ErrorCode::internal, "inclusion proof asked for leaf " +
                                                   std::to_string(index) + " of a tree of " +
                                                   std::to_string(size()) + " leaves");
  }
  std::vector<DigestBytes> path;
  for (std::size_t level = 0; level + 1 < levels_.size(); ++level) {
    const std::uint64_t sibling = index ^ 1U;
    if (sibling < levels_[level].size()) {
      path.push_back(levels_[level][static_cast<std::size_t>(sibling)]);
    }
    index >>= 1U;
  }
  return path;
}

}  // namespace stella::host
