#define BOOST_TEST_MODULE continuity_unit
#include <boost/test/unit_test.hpp>
