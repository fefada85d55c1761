// Keys of bulk-loaded tables built after a load into an empty store
// (host/src/bundles/deferred_key_builds.hpp), on real 1.0 and 2.0 stores: what is dropped comes
// back under its own name and definition, keys that foreign keys rely on are never dropped, and a
// duplicate in the loaded rows is named while the transaction can still roll back.
#include <boost/test/unit_test.hpp>

#include "bundle_test_support.hpp"
#include "bundles/deferred_key_builds.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace {

using stella::host::PgConnection;
using stella::test::run_stella;
using stella::test::ScratchDatabase;

const std::vector<std::string> kTables = {"artifacts", "bundles"};

/// The catalog's `definition` of each row of `catalog` that belongs to the two tables (through
/// column `table_column`), as "name: definition" lines in name order.
std::string definitions(PgConnection& connection, const std::string& catalog,
                        const std::string& name, const std::string& definition,
                        const std::string& table_column) {
  return std::string(connection
                         .exec("SELECT string_agg(" + name + " || ': ' || " + definition +
                               ", E'\\n' ORDER BY " + name + ") FROM " + catalog + " WHERE " +
                               table_column +
                               " IN ('evidence.artifacts'::regclass, 'evidence.bundles'::regclass)")
                         .get(0, 0));
}

std::string index_definitions(PgConnection& connection) {
  return definitions(connection, "pg_index", "indexrelid::regclass::text",
                     "pg_get_indexdef(indexrelid)", "indrelid");
}

std::string constraint_definitions(PgConnection& connection) {
  return definitions(connection, "pg_constraint", "conname", "pg_get_constraintdef(oid)",
                     "conrelid");
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += name + ";";
  }
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(deferred_key_builds)

BOOST_AUTO_TEST_CASE(the_1_0_artifact_key_is_dropped_and_built_again_as_it_was) {
  ScratchDatabase database("keys10");
  const auto connection = stella::test::empty_store_at(database, "1.0");
  const std::string indexes_before = index_definitions(*connection);
  const std::string constraints_before = constraint_definitions(*connection);
  connection->exec("BEGIN");
  const auto keys = stella::host::defer_key_builds(*connection, kTables);
  // The artifact key and the bundles' Merkle-order index go; the bundle key, which the artifacts'
  // foreign key relies on, stays.
  BOOST_TEST(joined(keys.names) ==
                 "evidence.artifacts (artifacts_pkey);evidence.bundles (bundles_merkle_order);",
             joined(keys.names));
  BOOST_TEST(index_definitions(*connection).find("artifacts_pkey") == std::string::npos);
  BOOST_TEST(index_definitions(*connection).find("bundles_pkey") != std::string::npos);
  stella::host::build_deferred_keys(*connection, keys);
  BOOST_TEST(index_definitions(*connection) == indexes_before);
  BOOST_TEST(constraint_definitions(*connection) == constraints_before);
  connection->exec("COMMIT");
  // A store whose keys came back passes the schema comparison.
  const auto check = run_stella({"--database", database.conninfo(), "evidence", "integrity-check"});
  BOOST_TEST(check.exit_code == 0, check.out + check.err);
}

BOOST_AUTO_TEST_CASE(a_duplicate_in_the_loaded_rows_is_named_and_the_key_rolls_back) {
  ScratchDatabase database("keysdup");
  const auto connection = stella::test::empty_store_at(database, "1.0");
  const std::string indexes_before = index_definitions(*connection);
  connection->exec("BEGIN");
  const auto keys = stella::host::defer_key_builds(*connection, kTables);
  connection->exec("INSERT INTO evidence.tenants (tenant_id, display_name) VALUES ('acme', 'A')");
  connection->exec(
      "INSERT INTO evidence.bundles (bundle_id, tenant_id, kind, subject, created_at, sealed_at, "
      "bundle_root) VALUES ('b-1', 'acme', 'evaluation', 'app:1', now(), now(), "
      "'sha256:' || repeat('0', 64))");
  for (int copy = 0; copy < 2; ++copy) {
    // Accepted without its key: nothing checks the pair until the key is built.
    connection->exec(
        "INSERT INTO evidence.artifacts (bundle_id, path, media_type, size_bytes, digest, "
        "content) VALUES ('b-1', 'sbom.json', 'application/json', 2, "
        "'sha256:' || repeat('1', 64), '\\x7b7d')");
  }
  std::string failure;
  try {
    stella::host::build_deferred_keys(*connection, keys);
  } catch (const stella::sdk::Error& error) {
    BOOST_TEST((error.code() == stella::sdk::ErrorCode::verification_failed));
    failure = error.what();
  }
  BOOST_TEST(failure.find("evidence.artifacts (artifacts_pkey)") != std::string::npos, failure);
  BOOST_TEST(failure.find("sbom.json") != std::string::npos, failure);
  BOOST_TEST(failure.find("nothing was imported") != std::string::npos, failure);
  connection->exec("ROLLBACK");
  BOOST_TEST(index_definitions(*connection) == indexes_before);
}

BOOST_AUTO_TEST_CASE(keys_that_foreign_keys_rely_on_are_kept_in_2_0) {
  ScratchDatabase database("keys20");
  const auto connection = stella::test::empty_store_at(database, "2.0");
  const std::string indexes_before = index_definitions(*connection);
  connection->exec("BEGIN");
  const auto keys = stella::host::defer_key_builds(*connection, kTables);
  // 2.0's artifact digests reference the artifact key and every table references the bundle key:
  // only the plain indexes go.
  BOOST_TEST(
      joined(keys.names) ==
          "evidence.artifacts (artifacts_by_content);evidence.artifacts (artifacts_by_tenant);"
          "evidence.bundles (bundles_by_created);evidence.bundles (bundles_merkle_order);",
      joined(keys.names));
  stella::host::build_deferred_keys(*connection, keys);
  BOOST_TEST(index_definitions(*connection) == indexes_before);
  connection->exec("COMMIT");
}

BOOST_AUTO_TEST_SUITE_END()
