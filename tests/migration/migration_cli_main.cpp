#define BOOST_TEST_MODULE migration_cli
#include <boost/test/unit_test.hpp>
