// The seed's random source is the same on every platform and run, and each item's stream depends
// only on its identity.
#include <boost/test/unit_test.hpp>

#include "evidence/seed_random.hpp"

namespace host = stella::host;

BOOST_AUTO_TEST_SUITE(seed_random)

BOOST_AUTO_TEST_CASE(splitmix64_reference_values) {
  // SplitMix64 seeded with 0 (the reference sequence of Vigna's splitmix64.c).
  host::SeedRandom random(0);
  BOOST_TEST(random.next() == 0xe220a8397b1dcdafULL);
  BOOST_TEST(random.next() == 0x6e789e6aa1b965f4ULL);
  BOOST_TEST(random.next() == 0x06c45d188009454fULL);
}

BOOST_AUTO_TEST_CASE(item_streams_depend_on_seed_scope_and_item) {
  auto a = host::SeedRandom::for_item(7, "acme", "bundle 1");
  auto same = host::SeedRandom::for_item(7, "acme", "bundle 1");
  auto other_item = host::SeedRandom::for_item(7, "acme", "bundle 2");
  auto other_seed = host::SeedRandom::for_item(8, "acme", "bundle 1");
  const auto first = a.next();
  BOOST_TEST(first == same.next());
  BOOST_TEST(first != other_item.next());
  BOOST_TEST(first != other_seed.next());
}

BOOST_AUTO_TEST_CASE(bounded_draws_stay_in_range) {
  host::SeedRandom random(42);
  for (int i = 0; i < 10000; ++i) {
    BOOST_TEST_REQUIRE(random.below(7) < 7U);
    const auto value = random.between(-3, 3);
    BOOST_TEST_REQUIRE((value >= -3 && value <= 3));
    const double unit = random.unit();
    BOOST_TEST_REQUIRE((unit >= 0.0 && unit < 1.0));
  }
  BOOST_TEST(random.hex(5).size() == 10U);
}

BOOST_AUTO_TEST_SUITE_END()
