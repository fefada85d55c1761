// base64 against the RFC 4648 §10 test vectors, and refusal of what is not base64.
#include <boost/test/unit_test.hpp>

#include "stella/host/evidence/base64.hpp"

namespace host = stella::host;

BOOST_AUTO_TEST_SUITE(base64)

BOOST_AUTO_TEST_CASE(rfc4648_vectors_encode_and_decode) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    BOOST_TEST(host::base64_encode(plain) == encoded);
    const auto decoded = host::base64_decode(encoded);
    BOOST_REQUIRE(decoded.has_value());
    BOOST_TEST(*decoded == plain);
  }
}

BOOST_AUTO_TEST_CASE(binary_bytes_round_trip) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
  }
  BOOST_TEST(host::base64_decode(host::base64_encode(bytes)).value() == bytes);
}

BOOST_AUTO_TEST_CASE(malformed_text_is_refused) {
  BOOST_TEST(!host::base64_decode("Zg=").has_value());       // not a multiple of 4
  BOOST_TEST(!host::base64_decode("Z!==").has_value());      // not in the alphabet
  BOOST_TEST(!host::base64_decode("Zg==Zg==").has_value());  // padding before the end
}

BOOST_AUTO_TEST_SUITE_END()
