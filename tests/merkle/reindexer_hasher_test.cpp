// make_reindexer_hasher: a TreeHasher over any sdk::Reindexer gives the built-in hasher's answers,
// and a reindexer that breaks its own digest-size promise is caught. (The real plugins are tested
// against this adapter in tests/reindexers.)
#include <boost/test/unit_test.hpp>

#include "merkle/merkle_test_support.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::test {
namespace {

using host::DigestBytes;

/// A reindexer that buffers its input and hashes it with a host hasher when finished;
/// `truncate_by` makes it return digests shorter than it declares.
class BufferingReindexer final : public sdk::Reindexer {
 public:
  BufferingReindexer(const host::TreeHasher& hasher, std::size_t truncate_by)
      : hasher_(hasher), truncate_by_(truncate_by) {}
  std::string algorithm_id() const override { return hasher_.algorithm_id(); }
  std::size_t digest_size() const override { return hasher_.digest_size(); }
  std::unique_ptr<sdk::HashState> start() const override {
    return std::make_unique<State>(hasher_, truncate_by_);
  }

 private:
  class State final : public sdk::HashState {
   public:
    State(const host::TreeHasher& hasher, std::size_t truncate_by)
        : hasher_(hasher), truncate_by_(truncate_by) {}
    void update(sdk::ByteView bytes) override {
      buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    }
    DigestBytes finish() override {
      auto digest = hasher_.digest(buffer_);
      digest.resize(digest.size() - truncate_by_);
      return digest;
    }

   private:
    const host::TreeHasher& hasher_;
    std::size_t truncate_by_;
    std::vector<std::uint8_t> buffer_;
  };

  const host::TreeHasher& hasher_;
  std::size_t truncate_by_;
};

BOOST_AUTO_TEST_SUITE(reindexer_hasher)

BOOST_AUTO_TEST_CASE(adapter_gives_the_same_hashes_and_roots_as_the_built_in_hasher) {
  for (const auto& id : host::evp_hasher_algorithms()) {
    const auto builtin = host::make_evp_hasher(id);
    const BufferingReindexer reindexer(*builtin, 0);
    const auto adapted = host::make_reindexer_hasher(reindexer);
    BOOST_TEST(adapted->algorithm_id() == id);
    BOOST_TEST(adapted->digest_size() == builtin->digest_size());
    BOOST_TEST(host::to_hex(adapted->digest(bytes_of("abc"))) ==
               host::to_hex(builtin->digest(bytes_of("abc"))));
    BOOST_TEST(host::to_hex(adapted->hash_leaf(bytes_of("abc"))) ==
               host::to_hex(builtin->hash_leaf(bytes_of("abc"))));
    BOOST_TEST(host::to_hex(adapted->hash_node(bytes_of("a"), bytes_of("bc"))) ==
               host::to_hex(builtin->hash_node(bytes_of("a"), bytes_of("bc"))));
    BOOST_TEST(host::to_hex(adapted->empty_root()) == host::to_hex(builtin->empty_root()));
    const auto leaves = generated_leaf_hashes(*builtin, 13);
    BOOST_TEST(host::to_hex(host::merkle_root(*adapted, leaves)) ==
               host::to_hex(host::merkle_root(*builtin, leaves)));
  }
}

BOOST_AUTO_TEST_CASE(a_digest_of_the_wrong_size_is_an_internal_error) {
  const auto builtin = host::make_evp_hasher("sha256");
  const BufferingReindexer reindexer(*builtin, 1);
  const auto adapted = host::make_reindexer_hasher(reindexer);
  try {
    adapted->hash_leaf(bytes_of("abc"));
    BOOST_FAIL("a 31-byte digest from a 32-byte reindexer was accepted");
  } catch (const sdk::Error& error) {
    BOOST_TEST((error.code() == sdk::ErrorCode::internal));
    BOOST_TEST(std::string(error.what()) ==
               "reindexer for 'sha256' returned a digest of 31 bytes; it declares 32 bytes");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace stella::test
