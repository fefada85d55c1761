#define BOOST_TEST_MODULE bundles_unit
#include <boost/test/unit_test.hpp>
