#define BOOST_TEST_MODULE bundles_cli
#include <boost/test/unit_test.hpp>
