#define BOOST_TEST_MODULE bundles_runbook
#include <boost/test/unit_test.hpp>
