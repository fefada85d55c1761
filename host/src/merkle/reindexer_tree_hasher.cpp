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
  DigestBytes digest(ByteView bytes) const override {
    return from_plugin([&] { return reindexer_.hash(bytes); });
  }
  DigestBytes hash_leaf(ByteView data) const override {
    return from_plugin([&] { return reindexer_.hash_leaf(data); });
  }
  DigestBytes hash_node(ByteView left, ByteView right) const override {
    return from_plugin([&] { return reindexer_.hash_node(left, right); });
  }

 private:
  // Failures cross the plugin boundary only as sdk::Error. Anything else thrown by the plugin's
  // code is its bug, said as such and naming the algorithm, not the host's "internal error".
  template <typename Call>
  DigestBytes from_plugin(Call call) const {
    try {
      return checked(call());
    } catch (const sdk::Error&) {
      throw;
    } catch (const std::exception& error) {
      throw plugin_bug(std::string("an exception that is not a stella::sdk::Error: ") +
                       error.what());
    } catch (...) {
      throw plugin_bug("something that is not an exception");
    }
  }

  sdk::Error plugin_bug(const std::string& thrown) const {
    return sdk::Error(sdk::ErrorCode::internal,
                      "the reindexer plugin for '" + algorithm_id_ + "' threw " + thrown +
                          "; expected digests, or a stella::sdk::Error when it cannot hash",
                      "the reindexer plugin is faulty: reinstall it or report it to its author "
                      "(`stella plugins test` shows which check it fails)");
  }

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
