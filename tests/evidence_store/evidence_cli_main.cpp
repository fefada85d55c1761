#define BOOST_TEST_MODULE evidence_store_cli
#include <boost/test/unit_test.hpp>
