// Generated inclusion and consistency proofs verify for every (index, size) and (old, new) pair up
// to 64 leaves, and stop verifying when anything about them is altered.
#include <limits>

#include <boost/test/unit_test.hpp>

#include "merkle/merkle_test_support.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::test {
namespace {

using host::DigestBytes;

constexpr std::size_t kMaxLeaves = 64;

std::vector<DigestBytes> prefix(const std::vector<DigestBytes>& leaves, std::size_t size) {
  return {leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(size)};
}

BOOST_AUTO_TEST_SUITE(proofs)

BOOST_AUTO_TEST_CASE(inclusion_proofs_verify_and_detect_every_alteration) {
  const auto hasher = host::make_evp_hasher("sha256");
  const auto all = generated_leaf_hashes(*hasher, kMaxLeaves);
  std::size_t checked = 0;
  for (std::size_t size = 1; size <= kMaxLeaves; ++size) {
    const auto leaves = prefix(all, size);
    const auto root = host::merkle_root(*hasher, leaves);
    for (std::size_t index = 0; index < size; ++index) {
      BOOST_TEST_CONTEXT("index " << index << " size " << size) {
        const auto proof = host::inclusion_proof(*hasher, leaves, index);
        BOOST_TEST(host::verify_inclusion(*hasher, index, size, leaves[index], proof, root));
        // Another index, size, leaf or root.
        BOOST_TEST(!host::verify_inclusion(*hasher, index + 1, size, leaves[index], proof, root));
        if (index > 0) {
          BOOST_TEST(!host::verify_inclusion(*hasher, index - 1, size, leaves[index], proof, root));
        }
        // (A size one larger is not always caught by the path alone: RFC 9162 paths of sizes n and
        // n + 1 can coincide; the root is what binds the size.)
        BOOST_TEST(!host::verify_inclusion(*hasher, index, size * 2, leaves[index], proof, root));
        if (index < size / 2) {
          BOOST_TEST(!host::verify_inclusion(*hasher, index, size / 2, leaves[index], proof, root));
        }
        if (size > 1) {
          BOOST_TEST(!host::verify_inclusion(*hasher, index, size, leaves[(index + 1) % size],
                                             proof, root));
        }
        auto bad_root = root;
        bad_root.back() ^= 1U;
        BOOST_TEST(!host::verify_inclusion(*hasher, index, size, leaves[index], proof, bad_root));
        // Every element altered, one at a time; one removed, one added.
        for (std::size_t i = 0; i < proof.size(); ++i) {
          auto altered = proof;
          altered[i][i % altered[i].size()] ^= 0x80U;
          BOOST_TEST(!host::verify_inclusion(*hasher, index, size, leaves[index], altered, root));
          auto shortened = proof;
          shortened.erase(shortened.begin() + static_cast<std::ptrdiff_t>(i));
          BOOST_TEST(!host::verify_inclusion(*hasher, index, size, leaves[index], shortened, root));
        }
        auto extended = proof;
        extended.push_back(root);
        BOOST_TEST(!host::verify_inclusion(*hasher, index, size, leaves[index], extended, root));
        ++checked;
      }
    }
  }
  BOOST_TEST(checked == kMaxLeaves * (kMaxLeaves + 1) / 2);
}

BOOST_AUTO_TEST_CASE(consistency_proofs_verify_and_detect_every_alteration) {
  const auto hasher = host::make_evp_hasher("sha256");
  const auto all = generated_leaf_hashes(*hasher, kMaxLeaves);
  std::vector<DigestBytes> roots{hasher->empty_root()};
  for (std::size_t size = 1; size <= kMaxLeaves; ++size) {
    roots.push_back(host::merkle_root(*hasher, prefix(all, size)));
  }
  for (std::size_t new_size = 1; new_size <= kMaxLeaves; ++new_size) {
    const auto leaves = prefix(all, new_size);
    for (std::size_t old_size = 1; old_size <= new_size; ++old_size) {
      BOOST_TEST_CONTEXT("old " << old_size << " new " << new_size) {
        const auto& old_root = roots[old_size];
        const auto& new_root = roots[new_size];
        const auto proof = host::consistency_proof(*hasher, leaves, old_size);
        BOOST_TEST(proof.empty() == (old_size == new_size));
        BOOST_TEST(
            host::verify_consistency(*hasher, old_size, new_size, old_root, new_root, proof));
        // Wrong sizes or roots.
        BOOST_TEST(
            !host::verify_consistency(*hasher, old_size + 1, new_size, old_root, new_root, proof));
        BOOST_TEST(
            !host::verify_consistency(*hasher, old_size, new_size * 2, old_root, new_root, proof));
        if (old_size > 1) {
          BOOST_TEST(!host::verify_consistency(*hasher, old_size - 1, new_size, old_root, new_root,
                                               proof));
        }
        BOOST_TEST(!host::verify_consistency(*hasher, 0, new_size, roots[0], new_root, proof));
        if (old_size != new_size) {
          BOOST_TEST(
              !host::verify_consistency(*hasher, old_size, new_size, new_root, old_root, proof));
          BOOST_TEST(!host::verify_consistency(*hasher, old_size, new_size, roots[old_size - 1],
                                               new_root, proof));
          BOOST_TEST(!host::verify_consistency(*hasher, old_size, new_size, old_root,
                                               roots[new_size - 1], proof));
        }
        // Every element altered, one at a time; one removed, one added.
        for (std::size_t i = 0; i < proof.size(); ++i) {
          auto altered = proof;
          altered[i][i % altered[i].size()] ^= 0x80U;
          BOOST_TEST(
              !host::verify_consistency(*hasher, old_size, new_size, old_root, new_root, altered));
          auto shortened = proof;
          shortened.erase(shortened.begin() + static_cast<std::ptrdiff_t>(i));
          BOOST_TEST(!host::verify_consistency(*hasher, old_size, new_size, old_root, new_root,
                                               shortened));
        }
        auto extended = proof;
        extended.push_back(new_root);
        BOOST_TEST(
            !host::verify_consistency(*hasher, old_size, new_size, old_root, new_root, extended));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(malformed_proofs_are_rejected_without_throwing) {
  const auto hasher = host::make_evp_hasher("sha256");
  const auto leaves = generated_leaf_hashes(*hasher, 7);
  const auto root = host::merkle_root(*hasher, leaves);
  auto proof = host::inclusion_proof(*hasher, leaves, 3);
  const auto max = std::numeric_limits<std::uint64_t>::max();
  BOOST_TEST(!host::verify_inclusion(*hasher, 3, 0, leaves[3], proof, root));
  BOOST_TEST(!host::verify_inclusion(*hasher, max, max, leaves[3], proof, root));
  BOOST_TEST(!host::verify_inclusion(*hasher, 3, max, leaves[3], proof, root));
  BOOST_TEST(!host::verify_inclusion(*hasher, 3, 7, DigestBytes{}, proof, root));
  BOOST_TEST(!host::verify_inclusion(*hasher, 3, 7, leaves[3], proof, DigestBytes{}));
  auto truncated = proof;
  truncated[0].pop_back();
  BOOST_TEST(!host::verify_inclusion(*hasher, 3, 7, leaves[3], truncated, root));
  BOOST_TEST(!host::verify_inclusion(*hasher, 3, 7, leaves[3], {}, root));

  const auto old_root = host::merkle_root(*hasher, prefix(leaves, 3));
  const auto consistency = host::consistency_proof(*hasher, leaves, 3);
  BOOST_TEST(!host::verify_consistency(*hasher, 3, max, old_root, root, consistency));
  BOOST_TEST(!host::verify_consistency(*hasher, max, max, old_root, root, consistency));
  BOOST_TEST(!host::verify_consistency(*hasher, 7, 3, root, old_root, consistency));
  BOOST_TEST(!host::verify_consistency(*hasher, 3, 7, old_root, root, {}));
  BOOST_TEST(!host::verify_consistency(*hasher, 3, 7, DigestBytes{}, root, consistency));
  BOOST_TEST(!host::verify_consistency(*hasher, 3, 7, old_root, DigestBytes(64), consistency));
  auto garbage = consistency;
  garbage.push_back(DigestBytes{1, 2, 3});
  BOOST_TEST(!host::verify_consistency(*hasher, 3, 7, old_root, root, garbage));
}

BOOST_AUTO_TEST_CASE(proof_generation_refuses_impossible_requests) {
  const auto hasher = host::make_evp_hasher("sha256");
  const auto leaves = generated_leaf_hashes(*hasher, 4);
  try {
    host::inclusion_proof(*hasher, leaves, 4);
    BOOST_FAIL("inclusion_proof accepted index 4 of 4");
  } catch (const sdk::Error& error) {
    BOOST_TEST((error.code() == sdk::ErrorCode::invalid_input));
    BOOST_TEST(std::string(error.what()) ==
               "leaf index 4 is outside a tree of 4 leaves; expected an index below 4");
  }
  for (const std::uint64_t old_size : {0U, 5U}) {
    try {
      host::consistency_proof(*hasher, leaves, old_size);
      BOOST_FAIL("consistency_proof accepted old size " << old_size);
    } catch (const sdk::Error& error) {
      BOOST_TEST((error.code() == sdk::ErrorCode::invalid_input));
      BOOST_TEST(std::string(error.what()) ==
                 "no consistency proof from a tree of " + std::to_string(old_size) +
                     " leaves to a tree of 4 leaves; expected an old size from 1 to 4");
    }
  }
  BOOST_CHECK_THROW(host::inclusion_proof(*hasher, {}, 0), sdk::Error);
}

BOOST_AUTO_TEST_CASE(proofs_work_with_every_algorithm) {
  for (const auto& id : host::evp_hasher_algorithms()) {
    const auto hasher = host::make_evp_hasher(id);
    const auto leaves = generated_leaf_hashes(*hasher, 11);
    const auto root = host::merkle_root(*hasher, leaves);
    const auto old_root = host::merkle_root(*hasher, prefix(leaves, 6));
    BOOST_TEST(host::verify_inclusion(*hasher, 9, 11, leaves[9],
                                      host::inclusion_proof(*hasher, leaves, 9), root),
               id);
    BOOST_TEST(host::verify_consistency(*hasher, 6, 11, old_root, root,
                                        host::consistency_proof(*hasher, leaves, 6)),
               id);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace stella::test
