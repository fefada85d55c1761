#define BOOST_TEST_MODULE audit_cli
#include <boost/test/unit_test.hpp>
