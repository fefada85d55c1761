// The streaming MerkleRootBuilder equals the recursive RFC 9162 MTH for every size.
#include <boost/test/unit_test.hpp>

#include "merkle/merkle_test_support.hpp"
#include "stella/host/merkle/merkle_tree.hpp"

namespace stella::test {
namespace {

using host::DigestBytes;

DigestBytes streamed_root(const host::TreeHasher& hasher, const std::vector<DigestBytes>& leaves) {
  host::MerkleRootBuilder builder(hasher);
  for (const auto& leaf : leaves) {
    builder.add_leaf_hash(leaf);
  }
  BOOST_TEST(builder.size() == leaves.size());
  return builder.root();
}

BOOST_AUTO_TEST_SUITE(merkle_root)

BOOST_AUTO_TEST_CASE(empty_tree_root_is_the_hash_of_nothing) {
  const auto hasher = host::make_evp_hasher("sha256");
  host::MerkleRootBuilder builder(*hasher);
  BOOST_TEST(builder.size() == 0U);
  BOOST_TEST(host::to_hex(builder.root()) ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(host::to_hex(host::merkle_root(*hasher, {})) ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(single_leaf_tree_root_is_the_leaf_hash) {
  const auto hasher = host::make_evp_hasher("sha256");
  const auto leaves = generated_leaf_hashes(*hasher, 1);
  BOOST_TEST(host::to_hex(host::merkle_root(*hasher, leaves)) == host::to_hex(leaves[0]));
}

BOOST_AUTO_TEST_CASE(builder_equals_recursive_mth_for_sizes_0_to_130) {
  for (const auto& id : {"sha256", "blake2b-512"}) {
    const auto hasher = host::make_evp_hasher(id);
    const auto all = generated_leaf_hashes(*hasher, 130);
    host::MerkleRootBuilder builder(*hasher);
    for (std::size_t n = 0; n <= all.size(); ++n) {
      const std::vector<DigestBytes> leaves(all.begin(), all.begin() + n);
      const auto expected = host::to_hex(reference_mth(*hasher, leaves));
      BOOST_TEST(host::to_hex(host::merkle_root(*hasher, leaves)) == expected, id << " n=" << n);
      // root() does not reset: the same builder keeps growing and stays right at every size.
      BOOST_TEST(host::to_hex(builder.root()) == expected, id << " n=" << n);
      if (n < all.size()) {
        builder.add_leaf_hash(all[n]);
      }
    }
  }
}

// 2^k - 1 leaves is the builder's deepest stack (one perfect subtree per set bit).
BOOST_AUTO_TEST_CASE(builder_equals_recursive_mth_for_large_sizes) {
  const auto hasher = host::make_evp_hasher("sha256");
  for (const std::size_t n : {1023U, 1024U, 1025U, 4095U, 4097U, 65'536U, 100'003U}) {
    const auto leaves = generated_leaf_hashes(*hasher, n);
    BOOST_TEST(host::to_hex(streamed_root(*hasher, leaves)) ==
                   host::to_hex(reference_mth(*hasher, leaves)),
               "n=" << n);
  }
}

BOOST_AUTO_TEST_CASE(order_and_content_of_leaves_change_the_root) {
  const auto hasher = host::make_evp_hasher("sha256");
  auto leaves = generated_leaf_hashes(*hasher, 5);
  const auto root = host::merkle_root(*hasher, leaves);
  std::swap(leaves[1], leaves[3]);
  BOOST_TEST(host::to_hex(host::merkle_root(*hasher, leaves)) != host::to_hex(root));
  std::swap(leaves[1], leaves[3]);
  leaves[4][0] ^= 1U;
  BOOST_TEST(host::to_hex(host::merkle_root(*hasher, leaves)) != host::to_hex(root));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace stella::test
