// The test-only fault hook: which text arms what, and that a typo is refused rather than ignored.
#include <boost/test/unit_test.hpp>

#include "stella/host/migration/fault_hook.hpp"
#include "stella/sdk/error.hpp"

namespace host = stella::host;
namespace sdk = stella::sdk;

BOOST_AUTO_TEST_SUITE(fault_hook)

BOOST_AUTO_TEST_CASE(unset_arms_nothing) {
  const auto hook = host::FaultHook::from_text("");
  BOOST_TEST(!hook.armed());
  BOOST_CHECK_NO_THROW(hook.fire("schema-1.0-to-1.1", host::fault_point::kBeforeUp));
}

BOOST_AUTO_TEST_CASE(fires_only_at_the_armed_point) {
  const auto hook = host::FaultHook::from_text("schema-1.0-to-1.1:mid-batch:3,run:before-complete");
  BOOST_TEST(hook.armed());
  BOOST_CHECK_NO_THROW(hook.fire("schema-1.0-to-1.1", host::fault_point::mid_batch(false, 2)));
  BOOST_CHECK_NO_THROW(hook.fire("schema-1.0-to-1.1", host::fault_point::mid_batch(true, 3)));
  BOOST_CHECK_NO_THROW(hook.fire("schema-1.1-to-2.0", host::fault_point::mid_batch(false, 3)));
  BOOST_CHECK_EXCEPTION(hook.fire("schema-1.0-to-1.1", host::fault_point::mid_batch(false, 3)),
                        sdk::Error, [](const sdk::Error& e) {
                          return std::string(e.what()) ==
                                 "injected test fault at schema-1.0-to-1.1:mid-batch:3 "
                                 "(STELLA_TEST_FAULT)";
                        });
  BOOST_CHECK_THROW(hook.fire(host::kRunFaultScope, host::fault_point::kBeforeComplete),
                    sdk::Error);
}

BOOST_AUTO_TEST_CASE(malformed_text_is_refused) {
  for (const char* text :
       {"schema-1.0-to-1.1", "schema-1.0-to-1.1:before-upp", "schema-1.0-to-1.1:mid-batch:0",
        "schema-1.0-to-1.1:mid-batch:", "Schema:before-up", "schema-1.0-to-1.1:before-up,"}) {
    BOOST_CHECK_EXCEPTION(host::FaultHook::from_text(text), sdk::Error, [](const sdk::Error& e) {
      return e.code() == sdk::ErrorCode::invalid_input;
    });
  }
}

BOOST_AUTO_TEST_SUITE_END()
