// The built-in EVP hasher: known answers, domain separation, every algorithm, threads, and the
// refusal of unknown algorithms.
#include <thread>

#include <openssl/evp.h>
#include <boost/test/unit_test.hpp>

#include "merkle/merkle_test_support.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::test {
namespace {

using host::DigestBytes;
using host::from_hex;
using host::make_evp_hasher;
using host::to_hex;

// Published answers for "abc" (FIPS 180-4 / FIPS 202 examples, RFC 7693 Appendix A, GB/T 32905).
struct KnownAnswer {
  const char* algorithm;
  const char* abc_hex;
};
constexpr KnownAnswer kAbcAnswers[] = {
    {"sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"sha384",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c82"
     "5a7"},
    {"sha512",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3fee"
     "bbd"
     "454d4423643ce80e2a9ac94fa54ca49f"},
    {"sha3-256", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"},
    {"blake2b-512",
     "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533c"
     "c95"
     "18d38aa8dbf1925ab92386edd4009923"},
    {"sm3", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
};

BOOST_AUTO_TEST_SUITE(tree_hasher)

BOOST_AUTO_TEST_CASE(sha256_matches_the_rfc6962_known_answers) {
  const auto hasher = make_evp_hasher("sha256");
  BOOST_TEST(hasher->algorithm_id() == "sha256");
  BOOST_TEST(hasher->digest_size() == 32U);
  BOOST_TEST(to_hex(hasher->empty_root()) ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(to_hex(hasher->hash_leaf(bytes_of(""))) ==
             "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  BOOST_TEST(to_hex(hasher->hash_leaf(bytes_of("L123456"))) ==
             "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
  BOOST_TEST(to_hex(hasher->hash_node(bytes_of("N123"), bytes_of("N456"))) ==
             "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
}

BOOST_AUTO_TEST_CASE(every_algorithm_matches_its_published_abc_digest) {
  for (const auto& answer : kAbcAnswers) {
    BOOST_TEST_CONTEXT("algorithm " << answer.algorithm) {
      const auto hasher = make_evp_hasher(answer.algorithm);
      BOOST_TEST(hasher->algorithm_id() == answer.algorithm);
      BOOST_TEST(to_hex(hasher->digest(bytes_of("abc"))) == answer.abc_hex);
      BOOST_TEST(hasher->digest_size() * 2 == std::string(answer.abc_hex).size());
    }
  }
}

BOOST_AUTO_TEST_CASE(leaf_and_node_hashes_are_prefixed_digests) {
  for (const auto& id : host::evp_hasher_algorithms()) {
    BOOST_TEST_CONTEXT("algorithm " << id) {
      const auto hasher = make_evp_hasher(id);
      const std::string leaf_input = std::string(1, '\0') + "leaf data";
      BOOST_TEST(hasher->hash_leaf(bytes_of("leaf data")) == hasher->digest(bytes_of(leaf_input)));
      const std::string node_input = std::string(1, '\1') + "left" + "right";
      BOOST_TEST(hasher->hash_node(bytes_of("left"), bytes_of("right")) ==
                 hasher->digest(bytes_of(node_input)));
      // Domain separation: the same bytes as leaf, node and raw content hash differently.
      BOOST_TEST(hasher->hash_leaf(bytes_of("ab")) != hasher->digest(bytes_of("ab")));
      BOOST_TEST(hasher->hash_node(bytes_of("a"), bytes_of("b")) !=
                 hasher->hash_leaf(bytes_of("ab")));
    }
  }
}

BOOST_AUTO_TEST_CASE(digests_equal_openssl_one_shot_for_many_sizes) {
  for (const auto& id : host::evp_hasher_algorithms()) {
    const auto hasher = make_evp_hasher(id);
    EVP_MD* md = EVP_MD_fetch(nullptr, id.c_str(), nullptr);
    BOOST_REQUIRE(md != nullptr);
    std::string input;
    for (std::size_t size = 0; size < 300; size += 7) {
      input.resize(size, static_cast<char>(size));
      DigestBytes expected(static_cast<std::size_t>(EVP_MD_get_size(md)));
      unsigned int length = 0;
      BOOST_REQUIRE(EVP_Digest(input.data(), input.size(), expected.data(), &length, md, nullptr));
      BOOST_TEST(hasher->digest(bytes_of(input)) == expected, id << " size " << size);
    }
    EVP_MD_free(md);
  }
}

BOOST_AUTO_TEST_CASE(interleaved_hashers_on_one_thread_do_not_disturb_each_other) {
  const auto sha256 = make_evp_hasher("sha256");
  const auto sm3 = make_evp_hasher("sm3");
  const auto sha256_alone = sha256->digest(bytes_of("abc"));
  const auto sm3_alone = sm3->digest(bytes_of("abc"));
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(sm3->digest(bytes_of("abc")) == sm3_alone);
    BOOST_TEST(sha256->digest(bytes_of("abc")) == sha256_alone);
  }
}

BOOST_AUTO_TEST_CASE(one_hasher_gives_the_same_digests_on_two_threads) {
  const auto hasher = make_evp_hasher("sha512");
  constexpr std::size_t kInputs = 1000;
  const auto hash_all = [&](std::vector<DigestBytes>& out) {
    for (std::size_t i = 0; i < kInputs; ++i) {
      const std::string text = "input-" + std::to_string(i);
      out.push_back(
          hasher->hash_node(hasher->digest(bytes_of(text)), hasher->hash_leaf(bytes_of(text))));
    }
  };
  std::vector<DigestBytes> first;
  std::vector<DigestBytes> second;
  std::thread a(hash_all, std::ref(first));
  std::thread b(hash_all, std::ref(second));
  a.join();
  b.join();
  std::vector<DigestBytes> single;
  hash_all(single);
  BOOST_TEST(first.size() == kInputs);
  BOOST_TEST((first == second));
  BOOST_TEST((first == single));
}

BOOST_AUTO_TEST_CASE(unknown_algorithm_is_refused_with_the_supported_list) {
  for (const char* id : {"md5", "SHA256", "", "sha-256"}) {
    try {
      make_evp_hasher(id);
      BOOST_FAIL("make_evp_hasher accepted '" << id << "'");
    } catch (const sdk::Error& error) {
      BOOST_TEST((error.code() == sdk::ErrorCode::refused));
      BOOST_TEST(std::string(error.what()) ==
                 "hash algorithm '" + std::string(id) +
                     "' is not supported; supported: sha256, sha384, sha512, sha3-256, "
                     "blake2b-512, sm3");
      BOOST_TEST(!error.hint().empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(the_supported_list_is_the_documented_one) {
  const std::vector<std::string> expected{"sha256",   "sha384",      "sha512",
                                          "sha3-256", "blake2b-512", "sm3"};
  BOOST_TEST(host::evp_hasher_algorithms() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace stella::test
