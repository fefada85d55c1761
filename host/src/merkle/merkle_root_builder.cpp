// Streaming MTH: the stack holds the roots of the perfect subtrees that make up the leaves so far
// (one per set bit of the leaf count, largest first). Merging equal neighbours as leaves arrive and
// folding the stack right to left at the end reproduces RFC 9162's split at the largest power of
// two below n, for every n.
#include "stella/host/merkle/merkle_tree.hpp"

namespace stella::host {

void MerkleRootBuilder::add_leaf_hash(DigestBytes leaf_hash) {
  stack_.emplace_back(1, std::move(leaf_hash));
  ++size_;
  while (stack_.size() >= 2 && stack_[stack_.size() - 2].first == stack_.back().first) {
    auto right = std::move(stack_.back());
    stack_.pop_back();
    auto& left = stack_.back();
    left.second = hasher_->hash_node(left.second, right.second);
    left.first += right.first;
  }
}

DigestBytes MerkleRootBuilder::root() const {
  if (stack_.empty()) {
    return hasher_->empty_root();
  }
  DigestBytes root = stack_.back().second;
  for (auto it = stack_.rbegin() + 1; it != stack_.rend(); ++it) {
    root = hasher_->hash_node(it->second, root);
  }
  return root;
}

}  // namespace stella::host
