#define BOOST_TEST_MODULE reindex_store
#include <boost/test/unit_test.hpp>
