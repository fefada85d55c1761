#define BOOST_TEST_MODULE migration_unit
#include <boost/test/unit_test.hpp>
