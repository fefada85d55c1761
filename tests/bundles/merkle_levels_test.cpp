// Every proof MerkleLevels gives equals RFC 9162's PATH(m, D[n]) as the Merkle module computes it
// leaf by leaf, and its root equals MTH, for every tree size up to a few levels of odd splits.
#include <boost/test/unit_test.hpp>

#include "stella/host/bundles/merkle_levels.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::uint64_t kLargestTree = 70;

std::vector<DigestBytes> leaves_of(const TreeHasher& hasher, std::uint64_t count) {
  std::vector<DigestBytes> leaves;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::string data = "leaf " + std::to_string(i);
    leaves.push_back(hasher.hash_leaf(
        ByteView(reinterpret_cast<const std::uint8_t*>(data.data()), data.size())));
  }
  return leaves;
}

}  // namespace

BOOST_AUTO_TEST_CASE(levels_give_the_rfc9162_root_and_every_inclusion_path) {
  const auto hasher = make_evp_hasher("sha256");
  for (std::uint64_t size = 1; size <= kLargestTree; ++size) {
    const std::vector<DigestBytes> leaves = leaves_of(*hasher, size);
    const MerkleLevels levels(*hasher, leaves);
    BOOST_REQUIRE_EQUAL(levels.size(), size);
    BOOST_CHECK(levels.root() == merkle_root(*hasher, leaves));
    for (std::uint64_t index = 0; index < size; ++index) {
      const std::vector<DigestBytes> path = levels.inclusion_path(index);
      BOOST_CHECK_MESSAGE(path == inclusion_proof(*hasher, leaves, index),
                          "leaf " << index << " of " << size);
      BOOST_CHECK(verify_inclusion(*hasher, index, size, leaves[index], path, levels.root()));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_leaf_outside_the_tree_has_no_path) {
  const auto hasher = make_evp_hasher("sha256");
  const MerkleLevels levels(*hasher, leaves_of(*hasher, 3));
  BOOST_CHECK_THROW(levels.inclusion_path(3), sdk::Error);
}

}  // namespace stella::host
