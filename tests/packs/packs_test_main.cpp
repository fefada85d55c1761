// Plugin packs through the real CLI: signing, verification, install, the trust check before
// dlopen, and the matrix.
#define BOOST_TEST_MODULE packs_cli
#include <boost/test/unit_test.hpp>
