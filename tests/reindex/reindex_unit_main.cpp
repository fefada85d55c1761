#define BOOST_TEST_MODULE reindex_unit
#include <boost/test/unit_test.hpp>
