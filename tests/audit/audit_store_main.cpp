#define BOOST_TEST_MODULE audit_store
#include <boost/test/unit_test.hpp>
