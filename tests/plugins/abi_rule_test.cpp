// The host's one ABI compatibility rule: equal versions load, anything else is refused with a
// message that names both versions and what to do.
#define BOOST_TEST_MODULE plugins_abi_rule
#include <boost/test/unit_test.hpp>

#include "stella/host/plugins/plugin_registry.hpp"

using stella::host::abi_incompatibility;

BOOST_AUTO_TEST_CASE(equal_versions_are_compatible) {
  BOOST_CHECK(!abi_incompatibility(1, 1).has_value());
  BOOST_CHECK(!abi_incompatibility(7, 7).has_value());
  BOOST_CHECK(!abi_incompatibility(stella::sdk::kAbiVersion, stella::sdk::kAbiVersion));
}

BOOST_AUTO_TEST_CASE(a_newer_plugin_is_refused) {
  BOOST_CHECK_EQUAL(
      abi_incompatibility(2, 1).value(),
      "plugin ABI 2, this host supports ABI 1 — rebuild the plugin against SDK ABI 1");
}

BOOST_AUTO_TEST_CASE(an_older_plugin_is_refused) {
  BOOST_CHECK_EQUAL(
      abi_incompatibility(1, 3).value(),
      "plugin ABI 1, this host supports ABI 3 — rebuild the plugin against SDK ABI 3");
}

BOOST_AUTO_TEST_CASE(zero_and_extreme_versions_are_refused) {
  BOOST_CHECK(abi_incompatibility(0, 1).has_value());
  BOOST_CHECK_EQUAL(abi_incompatibility(4294967295u, 1).value(),
                    "plugin ABI 4294967295, this host supports ABI 1 — rebuild the plugin against "
                    "SDK ABI 1");
}
