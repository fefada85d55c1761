#define BOOST_TEST_MODULE reindex_runbook
#include <boost/test/unit_test.hpp>
