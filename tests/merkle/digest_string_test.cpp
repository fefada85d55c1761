// Digest strings "alg:lower-hex" and hex: round trips and the messages for malformed input.
#include <boost/test/unit_test.hpp>

#include "merkle/merkle_test_support.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::test {
namespace {

using host::DigestBytes;

/// The message of the sdk::Error(invalid_input) that `parse` throws; fails when it throws nothing.
template <typename Parse>
std::string invalid_input_message(Parse parse) {
  try {
    parse();
  } catch (const sdk::Error& error) {
    BOOST_TEST((error.code() == sdk::ErrorCode::invalid_input));
    BOOST_TEST(!error.hint().empty());
    return error.what();
  }
  BOOST_FAIL("malformed input was accepted");
  return {};
}

const std::string kEmptySha256 =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

BOOST_AUTO_TEST_SUITE(digest_strings)

BOOST_AUTO_TEST_CASE(hex_round_trips_every_byte_value) {
  DigestBytes all(256);
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i] = static_cast<std::uint8_t>(i);
  }
  const std::string hex = host::to_hex(all);
  BOOST_TEST(hex.size() == 512U);
  BOOST_TEST(hex.substr(0, 8) == "00010203");
  BOOST_TEST(hex.substr(504) == "fcfdfeff");
  BOOST_TEST(host::from_hex(hex) == all);
  BOOST_TEST(host::from_hex("").empty());
}

BOOST_AUTO_TEST_CASE(format_and_parse_round_trip_for_every_algorithm) {
  for (const auto& id : host::evp_hasher_algorithms()) {
    const auto hasher = host::make_evp_hasher(id);
    const DigestBytes digest = hasher->digest(bytes_of("round trip"));
    const std::string text = host::format_digest(id, digest);
    BOOST_TEST(text == id + ":" + host::to_hex(digest));
    const auto parsed = host::parse_digest(text);
    BOOST_TEST(parsed.algorithm_id == id);
    BOOST_TEST(parsed.bytes == digest);
  }
}

BOOST_AUTO_TEST_CASE(an_algorithm_we_do_not_know_parses_with_any_whole_bytes) {
  const auto parsed = host::parse_digest("whirlpool:00ff");
  BOOST_TEST(parsed.algorithm_id == "whirlpool");
  BOOST_TEST((parsed.bytes == DigestBytes{0x00, 0xff}));
}

BOOST_AUTO_TEST_CASE(malformed_digest_strings_are_named_with_what_is_wrong) {
  BOOST_TEST(invalid_input_message([] { host::parse_digest("sha256:zz00"); }) ==
             "digest 'sha256:zz00' is not lower-case hex of 32 bytes: found 'z' at offset 7");
  BOOST_TEST(invalid_input_message([] { host::parse_digest("sha256:abcd"); }) ==
             "digest 'sha256:abcd' is not lower-case hex of 32 bytes: found 4 hex digits");
  BOOST_TEST(invalid_input_message([] {
               host::parse_digest(
                   "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
             }) ==
             "digest "
             "'sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' is "
             "not lower-case hex of 32 bytes: found 'E' at offset 7");
  BOOST_TEST(invalid_input_message([] {
               host::parse_digest(
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
             }) ==
             "digest 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' has "
             "no algorithm prefix; expected 'alg:lower-hex' such as 'sha256:<64 hex digits>'");
  BOOST_TEST(invalid_input_message([] { host::parse_digest(":00"); }) ==
             "digest ':00' has an empty algorithm before ':'");
  BOOST_TEST(invalid_input_message([] { host::parse_digest("SHA256:00"); }) ==
             "digest 'SHA256:00' names algorithm 'SHA256'; expected lower-case letters, digits "
             "and '-' such as 'sha256'");
  BOOST_TEST(invalid_input_message([] { host::parse_digest("sha256:"); }) ==
             "digest 'sha256:' is not lower-case hex of 32 bytes: found 0 hex digits");
  BOOST_TEST(invalid_input_message([] { host::parse_digest("custom:abc"); }) ==
             "digest 'custom:abc' is not lower-case hex: found 3 hex digits");
  BOOST_TEST(invalid_input_message([] { host::parse_digest(kEmptySha256 + "\n"); }) ==
             "digest '" + kEmptySha256 +
                 "\\n' is not lower-case hex of 32 bytes: found '\\n' at offset 71");
  BOOST_TEST(invalid_input_message([] {
               host::parse_digest("sha512:" + kEmptySha256.substr(7));
             }).find("is not lower-case hex of 64 bytes: found 64 hex digits") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(very_long_input_is_cut_in_the_message) {
  const std::string text = "sha256:" + std::string(1000, 'a');
  const std::string message = invalid_input_message([&] { host::parse_digest(text); });
  BOOST_TEST(message.size() < 200U);
  BOOST_TEST(message.find("...'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_hex_is_named) {
  BOOST_TEST(invalid_input_message([] { host::from_hex("abc"); }) ==
             "hex 'abc' has an odd number of digits (3); expected two digits per byte");
  BOOST_TEST(invalid_input_message([] { host::from_hex("0g"); }) ==
             "hex '0g' is not lower-case hex: found 'g' at offset 1");
  BOOST_TEST(invalid_input_message([] { host::from_hex("AB"); }) ==
             "hex 'AB' is not lower-case hex: found 'A' at offset 0");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace stella::test
