#define BOOST_TEST_MODULE migration_runbook
#include <boost/test/unit_test.hpp>
