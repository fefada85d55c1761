#define BOOST_TEST_MODULE continuity_cli
#include <boost/test/unit_test.hpp>
