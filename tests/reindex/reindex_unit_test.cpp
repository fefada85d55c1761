// The reindex module's pure parts: cutting bundles into batches that tile the key space, COPY text
// escaping, recognising retryable conflicts, and the figures people read.
#include <boost/test/unit_test.hpp>

#include "reindex/copy_text.hpp"
#include "reindex/transient_conflict.hpp"
#include "reindex/work_table.hpp"
#include "stella/host/reindex/reindex_plan.hpp"
#include "stella/host/reindex/reindex_runner.hpp"

namespace host = stella::host;

BOOST_AUTO_TEST_SUITE(batch_cutter)

BOOST_AUTO_TEST_CASE(batches_hold_whole_bundles_and_tile_the_key_space) {
  host::BatchCutter cutter(10);
  cutter.add({"a", 4, 40});
  cutter.add({"b", 4, 40});
  cutter.add({"c", 4, 40});    // 12 > 10: starts a new batch
  cutter.add({"d", 25, 250});  // larger than a batch: a batch of its own
  cutter.add({"e", 0, 0});     // empty bundles still need a root
  cutter.add({"f", 1, 10});
  const std::vector<host::PlannedBatch> batches = cutter.finish();
  BOOST_TEST_REQUIRE(batches.size() == 4U);
  BOOST_TEST(!batches[0].lower.has_value());
  BOOST_TEST(*batches[0].upper == "c");
  BOOST_TEST(batches[0].bundles == 2);
  BOOST_TEST(batches[0].artifacts == 8);
  BOOST_TEST(*batches[1].lower == "c");
  BOOST_TEST(*batches[1].upper == "d");
  BOOST_TEST(*batches[2].lower == "d");
  BOOST_TEST(*batches[2].upper == "e");
  BOOST_TEST(batches[2].artifacts == 25);
  BOOST_TEST(*batches[3].lower == "e");
  BOOST_TEST(!batches[3].upper.has_value());
  BOOST_TEST(batches[3].bundles == 2);
  BOOST_TEST(cutter.artifacts() == 38);
  BOOST_TEST(cutter.bundles() == 6);
  BOOST_TEST(cutter.bytes() == 380);
}

BOOST_AUTO_TEST_CASE(no_bundles_no_batches) {
  host::BatchCutter cutter(10);
  BOOST_TEST(cutter.finish().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(copy_text)

BOOST_AUTO_TEST_CASE(fields_escape_what_would_end_them) {
  std::string row;
  host::append_copy_field(row, "a\tb\\c\nd\re", true);
  host::append_copy_integer(row, 42, false);
  host::end_copy_row(row);
  BOOST_TEST(row == "a\\tb\\\\c\\nd\\re\t42\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(conflicts)

BOOST_AUTO_TEST_CASE(deadlocks_timeouts_and_duplicates_are_retryable_other_errors_not) {
  using stella::sdk::Error;
  using stella::sdk::ErrorCode;
  BOOST_TEST(host::is_retryable_conflict(
      Error(ErrorCode::refused, "PostgreSQL: deadlock detected [SQLSTATE 40P01] in statement")));
  BOOST_TEST(host::is_retryable_conflict(
      Error(ErrorCode::refused, "PostgreSQL: canceling statement [SQLSTATE 55P03]")));
  BOOST_TEST(host::is_retryable_conflict(
      Error(ErrorCode::internal, "PostgreSQL: duplicate key value [SQLSTATE 23505] in statement")));
  BOOST_TEST(!host::is_retryable_conflict(
      Error(ErrorCode::refused, "PostgreSQL: connection lost [SQLSTATE 08006, connection lost]")));
  BOOST_TEST(!host::is_retryable_conflict(
      Error(ErrorCode::internal, "PostgreSQL: syntax error [SQLSTATE 42601]")));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(figures)

BOOST_AUTO_TEST_CASE(thousands_and_durations_read_well) {
  BOOST_TEST(host::with_thousands(0) == "0");
  BOOST_TEST(host::with_thousands(999) == "999");
  BOOST_TEST(host::with_thousands(1000) == "1,000");
  BOOST_TEST(host::with_thousands(1234567) == "1,234,567");
  BOOST_TEST(host::with_thousands(-3120) == "-3,120");
  BOOST_TEST(host::duration_text(0.2) == "under 1 s");
  BOOST_TEST(host::duration_text(42) == "about 42 s");
  BOOST_TEST(host::duration_text(200) == "about 3 min 20 s");
  BOOST_TEST(host::duration_text(7300) == "about 2 h 1 min");
}

BOOST_AUTO_TEST_SUITE_END()
