#define BOOST_TEST_MODULE evidence_store_unit
#include <boost/test/unit_test.hpp>
