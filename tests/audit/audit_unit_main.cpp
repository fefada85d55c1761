#define BOOST_TEST_MODULE audit_unit
#include <boost/test/unit_test.hpp>
