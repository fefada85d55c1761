// The test runner of the libpq wrapper's suite.
#define BOOST_TEST_MODULE store_db_connection
#include <boost/test/unit_test.hpp>
