// The Merkle engine's test suite: hashers, digest strings, MTH, proofs and evidence leaves. No
// database: everything here is pure computation over real OpenSSL.
#define BOOST_TEST_MODULE merkle
#include <boost/test/unit_test.hpp>
