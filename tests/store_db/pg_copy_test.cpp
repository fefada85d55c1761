// COPY FROM STDIN and COPY TO STDOUT, text and binary, against a real PostgreSQL.
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>

#include <cstring>
#include <string>
#include <vector>

#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"
#include "store_db/error_code_printing.hpp"
#include "support/scratch_database.hpp"

using stella::host::PgConnection;
using stella::sdk::Error;
using stella::sdk::ErrorCode;

namespace {

/// PostgreSQL's binary COPY framing (protocol documentation, "Binary Format").
const std::string kBinarySignature("PGCOPY\n\377\r\n\0", 11);

void append_int16(std::string& out, std::int16_t value) {
  const std::uint16_t network = htons(static_cast<std::uint16_t>(value));
  out.append(reinterpret_cast<const char*>(&network), sizeof network);
}

void append_int32(std::string& out, std::int32_t value) {
  const std::uint32_t network = htonl(static_cast<std::uint32_t>(value));
  out.append(reinterpret_cast<const char*>(&network), sizeof network);
}

std::string binary_header() {
  std::string header = kBinarySignature;
  append_int32(header, 0);  // flags
  append_int32(header, 0);  // header extension length
  return header;
}

std::string binary_trailer() {
  std::string trailer;
  append_int16(trailer, -1);
  return trailer;
}

/// One (int4, bytea) tuple.
std::string binary_tuple(std::int32_t id, const std::string& payload) {
  std::string tuple;
  append_int16(tuple, 2);
  append_int32(tuple, sizeof(std::int32_t));
  append_int32(tuple, id);
  append_int32(tuple, static_cast<std::int32_t>(payload.size()));
  tuple += payload;
  return tuple;
}

std::string all_byte_values() {
  std::string bytes;
  constexpr int kByteValues = 256;
  for (int value = 0; value < kByteValues; ++value) {
    bytes += static_cast<char>(value);
  }
  return bytes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pg_copy)

BOOST_AUTO_TEST_CASE(text_copy_in_and_out_round_trip) {
  stella::test::ScratchDatabase database("pgcopy");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("CREATE TABLE line (id int, name text)");
  connection->copy_in_start("COPY line (id, name) FROM STDIN");
  // Chunks split rows anywhere: COPY is a byte stream.
  connection->copy_in_put("1\talpha\n2\tbe");
  connection->copy_in_put("ta\n3\t\\N\n");
  BOOST_TEST(connection->copy_in_finish() == 3);

  std::vector<std::string> rows;
  const std::int64_t count =
      connection->copy_out("COPY (SELECT id, name FROM line ORDER BY id) TO STDOUT",
                           [&rows](std::string_view row) { rows.emplace_back(row); });
  BOOST_TEST(count == 3);
  BOOST_TEST(rows == (std::vector<std::string>{"1\talpha\n", "2\tbeta\n", "3\t\\N\n"}));
}

BOOST_AUTO_TEST_CASE(binary_copy_in_and_out_round_trip_every_byte) {
  stella::test::ScratchDatabase database("pgcopy");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("CREATE TABLE blob (id int, payload bytea)");
  const std::string bytes = all_byte_values();
  const std::string stream = binary_header() + binary_tuple(1, bytes) +
                             binary_tuple(2, std::string("\0\0", 2)) + binary_trailer();
  connection->copy_in_start("COPY blob (id, payload) FROM STDIN (FORMAT binary)");
  connection->copy_in_put(stream);
  BOOST_TEST(connection->copy_in_finish() == 2);
  BOOST_TEST(connection->exec("SELECT length(payload) FROM blob WHERE id = 1").get_int64(0, 0) ==
             256);

  std::vector<std::string> calls;
  const std::int64_t count = connection->copy_out(
      "COPY (SELECT id, payload FROM blob ORDER BY id) TO STDOUT (FORMAT binary)",
      [&calls](std::string_view row) { calls.emplace_back(row); });
  BOOST_TEST(count == 2);
  // Header with the first row, one call per further row, the trailer on its own.
  BOOST_REQUIRE(calls.size() == 3);
  BOOST_TEST(calls[0] == binary_header() + binary_tuple(1, bytes));
  BOOST_TEST(calls[1] == binary_tuple(2, std::string("\0\0", 2)));
  BOOST_TEST(calls[2] == binary_trailer());
}

BOOST_AUTO_TEST_CASE(bad_copy_data_fails_at_finish_and_connection_stays_usable) {
  stella::test::ScratchDatabase database("pgcopy");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("CREATE TABLE line (id int, name text)");
  connection->copy_in_start("COPY line (id, name) FROM STDIN");
  connection->copy_in_put("1\tok\nnot-a-number\tbad\n");
  try {
    connection->copy_in_finish();
    BOOST_FAIL("COPY of a malformed row should fail");
  } catch (const Error& e) {
    const std::string message = e.what();
    BOOST_TEST(e.code() == ErrorCode::internal);
    BOOST_TEST(message.find("SQLSTATE 22P02") != std::string::npos, message);
    BOOST_TEST(message.find("COPY line (id, name) FROM STDIN") != std::string::npos, message);
  }
  BOOST_TEST(connection->exec("SELECT count(*) FROM line").get_int64(0, 0) == 0);
}

BOOST_AUTO_TEST_CASE(aborted_copy_stores_nothing) {
  stella::test::ScratchDatabase database("pgcopy");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("CREATE TABLE line (id int, name text)");
  connection->copy_in_start("COPY line (id, name) FROM STDIN");
  connection->copy_in_put("1\tone\n");
  connection->copy_in_abort("the source turned out to be corrupt");
  BOOST_TEST(connection->exec("SELECT count(*) FROM line").get_int64(0, 0) == 0);
}

BOOST_AUTO_TEST_CASE(throwing_row_callback_cancels_the_copy_and_keeps_the_connection) {
  stella::test::ScratchDatabase database("pgcopy");
  const auto connection = PgConnection::connect(database.conninfo());
  int seen = 0;
  BOOST_CHECK_THROW(connection->copy_out("COPY (SELECT generate_series(1, 100000)) TO STDOUT",
                                         [&seen](std::string_view) {
                                           if (++seen == 10) {
                                             throw std::runtime_error("consumer gave up");
                                           }
                                         }),
                    std::runtime_error);
  BOOST_TEST(seen == 10);
  BOOST_TEST(connection->exec("SELECT 42").get_int64(0, 0) == 42);
}

BOOST_AUTO_TEST_CASE(copy_calls_with_the_wrong_statement_are_refused) {
  stella::test::ScratchDatabase database("pgcopy");
  const auto connection = PgConnection::connect(database.conninfo());
  BOOST_CHECK_THROW(connection->copy_in_start("SELECT 1"), Error);
  BOOST_CHECK_THROW(connection->copy_out("SELECT 1", [](std::string_view) {}), Error);
  BOOST_CHECK_THROW(connection->exec("COPY (SELECT 1) TO STDOUT"), Error);
  BOOST_TEST(connection->exec("SELECT 1").get_int64(0, 0) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
