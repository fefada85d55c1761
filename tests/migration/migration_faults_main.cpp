#define BOOST_TEST_MODULE migration_faults
#include <boost/test/unit_test.hpp>
