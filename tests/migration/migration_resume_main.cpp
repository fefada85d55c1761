#define BOOST_TEST_MODULE migration_resume
#include <boost/test/unit_test.hpp>
