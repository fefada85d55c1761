// The import's load into an empty store with foreign-key checks deferred to one join per key
// (host/src/bundles/deferred_reference_checks.hpp), on real 1.0 and 2.0 stores: when it defers,
// that a row referencing nothing is caught and named before anything could commit, and that a
// store with evidence in it is loaded the usual way.
#include <boost/test/unit_test.hpp>

#include "bundle_test_support.hpp"
#include "bundles/deferred_reference_checks.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace {

using stella::host::PgConnection;
using stella::test::ScratchDatabase;

std::string scalar(PgConnection& connection, const std::string& sql) {
  return std::string(connection.exec(sql).get(0, 0));
}

/// The message of the sdk::Error that check_references_in_bulk throws, or "" when it passes.
std::string bulk_check_failure(PgConnection& connection) {
  try {
    stella::host::check_references_in_bulk(connection);
  } catch (const stella::sdk::Error& error) {
    BOOST_TEST((error.code() == stella::sdk::ErrorCode::verification_failed));
    return error.what();
  }
  return "";
}

constexpr const char* kTenant =
    "INSERT INTO evidence.tenants (tenant_id, display_name) VALUES ('acme', 'Acme')";
constexpr const char* kBundle10 =
    "INSERT INTO evidence.bundles (bundle_id, tenant_id, kind, subject, created_at, sealed_at, "
    "bundle_root) VALUES ('b-1', 'acme', 'evaluation', 'app:1', now(), now(), "
    "'sha256:' || repeat('0', 64))";
std::string artifact_10(const std::string& bundle) {
  return "INSERT INTO evidence.artifacts (bundle_id, path, media_type, size_bytes, digest, "
         "content) "
         "VALUES ('" +
         bundle + "', 'sbom.json', 'application/json', 2, 'sha256:' || repeat('1', 64), '\\x7b7d')";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(deferred_reference_checks)

BOOST_AUTO_TEST_CASE(an_empty_store_defers_and_a_row_referencing_nothing_is_named) {
  ScratchDatabase database("defer10");
  const auto connection = stella::test::empty_store_at(database, "1.0");
  connection->exec("BEGIN");
  BOOST_TEST_REQUIRE(stella::host::defer_reference_checks(*connection));
  BOOST_TEST(scalar(*connection, "SHOW session_replication_role") == "replica");
  connection->exec(kTenant);
  connection->exec(kBundle10);
  connection->exec(artifact_10("b-1"));
  // Accepted while deferred: no trigger looked for bundle "ghost".
  connection->exec(artifact_10("ghost"));
  const std::string failure = bulk_check_failure(*connection);
  BOOST_TEST(failure.find("1 rows of evidence.artifacts reference no row of evidence.bundles") !=
                 std::string::npos,
             failure);
  BOOST_TEST(failure.find("artifacts_bundle_id_fkey") != std::string::npos, failure);
  BOOST_TEST(failure.find("ghost") != std::string::npos, failure);
  BOOST_TEST(failure.find("nothing was imported") != std::string::npos, failure);
  // The triggers are on again for the rest of the transaction.
  BOOST_TEST(scalar(*connection, "SHOW session_replication_role") == "origin");
  connection->exec("ROLLBACK");
}

BOOST_AUTO_TEST_CASE(rows_that_reference_what_exists_pass) {
  ScratchDatabase database("defer10ok");
  const auto connection = stella::test::empty_store_at(database, "1.0");
  connection->exec("BEGIN");
  BOOST_TEST_REQUIRE(stella::host::defer_reference_checks(*connection));
  connection->exec(kTenant);
  connection->exec(kBundle10);
  connection->exec(artifact_10("b-1"));
  BOOST_TEST(bulk_check_failure(*connection).empty());
  connection->exec("COMMIT");
  BOOST_TEST(scalar(*connection, "SELECT count(*) FROM evidence.artifacts") == "1");
}

BOOST_AUTO_TEST_CASE(a_store_holding_evidence_is_loaded_with_a_check_per_row) {
  ScratchDatabase database("defer10full");
  const auto connection = stella::test::empty_store_at(database, "1.0");
  connection->exec(kTenant);
  connection->exec(kBundle10);
  connection->exec("BEGIN");
  BOOST_TEST(!stella::host::defer_reference_checks(*connection));
  BOOST_TEST(scalar(*connection, "SHOW session_replication_role") == "origin");
  BOOST_CHECK_THROW(connection->exec(artifact_10("ghost")), stella::sdk::Error);
  connection->exec("ROLLBACK");
}

BOOST_AUTO_TEST_CASE(a_partitioned_table_is_checked_as_one) {
  ScratchDatabase database("defer20");
  const auto connection = stella::test::empty_store_at(database, "2.0");
  connection->exec("BEGIN");
  BOOST_TEST_REQUIRE(stella::host::defer_reference_checks(*connection));
  connection->exec(
      "INSERT INTO evidence.artifact_digests (bundle_id, path, generation, digest) "
      "VALUES ('ghost', 'sbom.json', 1, 'sha256:' || repeat('2', 64))");
  const std::string failure = bulk_check_failure(*connection);
  // Named once, by the partitioned table's own key, not by the copy on its default partition.
  BOOST_TEST(failure.find("1 rows of evidence.artifact_digests reference no row of "
                          "evidence.artifacts") != std::string::npos,
             failure);
  BOOST_TEST(failure.find("artifact_digests_default") == std::string::npos, failure);
  BOOST_TEST(failure.find("ghost, sbom.json") != std::string::npos, failure);
  connection->exec("ROLLBACK");
}

BOOST_AUTO_TEST_SUITE_END()
