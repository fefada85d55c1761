// The host's table of published test vectors (host/src/conformance/published_vectors.cpp): every
// entry is what OpenSSL computes for its message — a typo in the table would otherwise fail every
// honest plugin of that algorithm — and every algorithm the product's reindexers or the author
// guide's template provide has vectors.
#define BOOST_TEST_MODULE plugins_published_vectors
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "conformance/published_vectors.hpp"
#include "stella/host/merkle/tree_hasher.hpp"

namespace host = stella::host;

BOOST_AUTO_TEST_CASE(every_published_vector_is_what_openssl_computes) {
  int compared = 0;
  for (const std::string& algorithm : host::algorithms_with_published_vectors()) {
    for (const host::PublishedVector& vector : host::published_vectors(algorithm)) {
      const auto digest = host::openssl_digest(algorithm, vector.message.bytes());
      BOOST_REQUIRE_MESSAGE(digest, "OpenSSL does not provide " << algorithm);
      BOOST_CHECK_MESSAGE(host::to_hex(*digest) == vector.digest_hex,
                          algorithm << " " << vector.message.name << ": table " << vector.digest_hex
                                    << ", OpenSSL " << host::to_hex(*digest));
      ++compared;
    }
  }
  BOOST_CHECK_EQUAL(compared, 44);
}

BOOST_AUTO_TEST_CASE(the_algorithms_of_stella_plugins_have_vectors) {
  for (const char* algorithm : {"sha256", "sha384", "sha512", "sha512-256", "sha3-224", "sha3-256",
                                "sha3-384", "sha3-512", "blake2b-512", "sm3"}) {
    BOOST_CHECK_MESSAGE(!host::published_vectors(algorithm).empty(), algorithm);
  }
  BOOST_CHECK(host::published_vectors("md5").empty());
  BOOST_CHECK(!host::openssl_digest("no-such-algorithm", "abc"));
}

BOOST_AUTO_TEST_CASE(the_million_a_message_is_a_million_bytes) {
  const auto vectors = host::published_vectors("sha256");
  const auto million = std::find_if(vectors.begin(), vectors.end(), [](const auto& vector) {
    return vector.message.name == "million-a";
  });
  BOOST_REQUIRE(million != vectors.end());
  BOOST_CHECK_EQUAL(million->message.bytes(), std::string(1000000, 'a'));
}
