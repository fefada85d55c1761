// A TreeHasher over a reindexer plugin, so the Merkle engine builds new-generation trees with the
// plugin's algorithm exactly as it builds them with the built-in one.
#include <string>

#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

namespace {

class ReindexerTreeHasher final : public TreeHasher {
 public:
  explicit ReindexerTreeHasher(const sdk::Reindexer& reindexer)
      : reindexer_(reindexer),
        algorithm_id_(reindexer.algorithm_id()),
        digest_size_(reindexer.digest_size()) {}

  std::string algorithm_id() const override { return algorithm_id_; }
  std::size_t digest_size() const override { return digest_size_; }
  DigestBytes digest(ByteView bytes) const override { return checked(reindexer_.hash(bytes)); }
  DigestBytes hash_leaf(ByteView data) const override {
    return checked(reindexer_.hash_leaf(data));
  }
  DigestBytes hash_node(ByteView left, ByteView right) const override {
    return checked(reindexer_.hash_node(left, right));
  }

 private:
  // A plugin that returns digests of the wrong size would corrupt every root built from them.
  DigestBytes checked(DigestBytes digest) const {
    if (digest.size() != digest_size_) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "reindexer for '" + algorithm_id_ + "' returned a digest of " +
                           std::to_string(digest.size()) + " bytes; it declares " +
                           std::to_string(digest_size_) + " bytes",
                       "the reindexer plugin is faulty: reinstall it or report it to its author");
    }
    return digest;
  }

  const sdk::Reindexer& reindexer_;
  // Asked once: the plugin's answers cannot change while it is loaded.
  std::string algorithm_id_;
  std::size_t digest_size_;
};

}  // namespace

std::unique_ptr<TreeHasher> make_reindexer_hasher(const sdk::Reindexer& reindexer) {
  return std::make_unique<ReindexerTreeHasher>(reindexer);
}

}  // namespace stella::host
