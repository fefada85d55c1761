// Reading the PGCOPY binary format as the server sends it: the header in front of the first tuple,
// NULL fields, the trailer, and malformed streams.
#include <boost/test/unit_test.hpp>

#include "stella/host/evidence/pg_binary_copy.hpp"
#include "stella/sdk/error.hpp"

namespace host = stella::host;

namespace {

const std::string kHeader("PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);

std::string be16(int value) {
  return {static_cast<char>((value >> 8) & 0xff), static_cast<char>(value & 0xff)};
}
std::string be32(std::int32_t value) {
  std::string bytes;
  for (int shift = 24; shift >= 0; shift -= 8) {
    bytes.push_back(static_cast<char>((value >> shift) & 0xff));
  }
  return bytes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pg_binary_copy)

BOOST_AUTO_TEST_CASE(header_tuples_nulls_and_trailer) {
  host::PgBinaryCopyReader reader(2);
  BOOST_TEST(reader.feed(kHeader + be16(2) + be32(3) + "abc" + be32(-1)));
  BOOST_TEST(reader.required(0, "first") == "abc");
  BOOST_TEST(!reader.field(1).has_value());
  BOOST_TEST(reader.feed(be16(2) + be32(0) + be32(1) + "z"));
  BOOST_TEST(reader.required(0, "first").empty());
  BOOST_TEST(reader.required(1, "second") == "z");
  BOOST_TEST(!reader.feed(be16(-1)));
}

BOOST_AUTO_TEST_CASE(malformed_streams_are_refused) {
  host::PgBinaryCopyReader no_signature(1);
  BOOST_CHECK_THROW(no_signature.feed("PGCOPX\n\377\r\n\0........"), stella::sdk::Error);
  host::PgBinaryCopyReader truncated(1);
  BOOST_CHECK_THROW(truncated.feed(kHeader + be16(1) + be32(10) + "short"), stella::sdk::Error);
  host::PgBinaryCopyReader wrong_count(2);
  BOOST_CHECK_THROW(wrong_count.feed(kHeader + be16(1) + be32(1) + "x"), stella::sdk::Error);
}

BOOST_AUTO_TEST_CASE(timestamps_are_iso8601_utc) {
  BOOST_TEST(host::iso8601_from_unix_micros(0) == "1970-01-01T00:00:00.000000Z");
  BOOST_TEST(host::iso8601_from_unix_micros(host::kPostgresEpochUnixMicros + 1) ==
             "2000-01-01T00:00:00.000001Z");
  BOOST_TEST(host::iso8601_from_unix_micros(-1) == "1969-12-31T23:59:59.999999Z");
}

BOOST_AUTO_TEST_SUITE_END()
