#define BOOST_TEST_MODULE diagnostics_cli
#include <boost/test/unit_test.hpp>
