// The bundle-dir importer warms a source ahead of its reads only when reads wait for storage:
// a few slow reads among many cached ones must not switch it on; a run of them must.
#include <boost/test/unit_test.hpp>

#include "cold_source_detector.hpp"

namespace stella_importer {

BOOST_AUTO_TEST_CASE(a_cached_source_with_a_few_slow_reads_is_not_cold) {
  ColdSourceDetector detector;
  // One read in ten waits (a preempted read, a lock): fewer than kColdMisses in any window.
  for (int file = 0; file < 10000; ++file) {
    BOOST_REQUIRE(!detector.note(file % 10 == 0));
  }
}

BOOST_AUTO_TEST_CASE(a_source_whose_reads_wait_is_cold_after_k_of_them) {
  ColdSourceDetector detector;
  for (unsigned file = 1; file < ColdSourceDetector::kColdMisses; ++file) {
    BOOST_REQUIRE(!detector.note(true));
  }
  BOOST_CHECK(detector.note(true));
}

BOOST_AUTO_TEST_CASE(waits_spread_wider_than_the_window_are_forgotten) {
  ColdSourceDetector detector;
  // kColdMisses - 1 waits, then a window of cached reads: the old waits have left the window, so
  // kColdMisses - 1 new waits are still not enough.
  for (unsigned file = 1; file < ColdSourceDetector::kColdMisses; ++file) {
    detector.note(true);
  }
  for (std::size_t file = 0; file < ColdSourceDetector::kWindow; ++file) {
    BOOST_REQUIRE(!detector.note(false));
  }
  for (unsigned file = 1; file < ColdSourceDetector::kColdMisses; ++file) {
    BOOST_REQUIRE(!detector.note(true));
  }
  BOOST_CHECK(detector.note(true));
}

}  // namespace stella_importer
