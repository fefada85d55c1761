// The runbook's "Troubleshooting" snippets (evidence-migration-guide.md), run as written by
// /bin/sh with the built `stella` first on PATH and STELLA_DATABASE naming a scratch store.
#include <boost/test/unit_test.hpp>

#include "diagnostics/diagnostics_fixture.hpp"

using stella::test::EvidenceStore;
using stella::test::mentions;
using stella::test::run_shell;

namespace {

// "Migration Stuck or Timeout", as written.
constexpr const char* kMigrationStuck = R"(# Check migration status
stella evidence migrate --status
# View migration logs
stella evidence migrate --logs
# Resume from last checkpoint
stella evidence migrate --resume
)";

// "Root Hash Mismatch": the command the runbook names.
constexpr const char* kRootHashMismatch = "stella evidence integrity-check --deep\n";

// "Missing Evidence Records", as written.
constexpr const char* kMissingRecords = R"(# Count records by type
stella evidence stats --by-type
# Find orphaned records
stella evidence orphans --list
# Reconcile with source systems
stella evidence reconcile --source attestor
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(troubleshooting_runbook)

BOOST_AUTO_TEST_CASE(missing_records_and_root_hash_snippets_on_a_healthy_store) {
  EvidenceStore store("runbook_troubleshooting");
  store.init_and_seed();
  stella::test::make_attestor_sample(store);
  const auto env = stella::test::runbook_environment(store);

  // Each command succeeds on a healthy store (set -e stops at the first that does not).
  const auto missing = run_shell(std::string("set -e\n") + kMissingRecords, env);
  BOOST_TEST(missing.exit_code == 0, missing.out << missing.err);
  BOOST_TEST(mentions(missing.out, "\"byType\""), missing.out);
  BOOST_TEST(mentions(missing.out, "orphans in database"));
  BOOST_TEST(mentions(missing.out, "in sync"));

  const auto mismatch = run_shell(kRootHashMismatch, env);
  BOOST_TEST(mismatch.exit_code == 0, mismatch.out << mismatch.err);
  BOOST_TEST(mentions(mismatch.out, "integrity-check (deep): PASS"));
}

BOOST_AUTO_TEST_CASE(snippets_name_the_damage_on_a_damaged_store) {
  EvidenceStore store("runbook_troubleshooting_damaged");
  store.init_and_seed();
  stella::test::make_attestor_sample(store);
  const auto env = stella::test::runbook_environment(store);
  // One flipped byte of stored evidence, and a bundle lost from the store.
  const std::string bundle = store.scalar(
      "SELECT bundle_id FROM evidence.bundles ORDER BY tenant_id, sealed_at, bundle_id LIMIT 1");
  store.sql().exec(
      "UPDATE evidence.artifacts SET content = set_byte(content, 0, get_byte(content, 0) # 1) "
      "WHERE bundle_id = $1 AND path = (SELECT min(path) FROM evidence.artifacts WHERE "
      "bundle_id = $1)",
      {bundle});
  const std::string lost = store.scalar(
      "SELECT bundle_id FROM evidence.bundles ORDER BY tenant_id DESC, sealed_at DESC, "
      "bundle_id DESC LIMIT 1");
  store.sql().exec("DELETE FROM evidence.legal_holds WHERE bundle_id = $1", {lost});
  store.sql().exec("DELETE FROM evidence.artifacts WHERE bundle_id = $1", {lost});
  store.sql().exec("DELETE FROM evidence.bundles WHERE bundle_id = $1", {lost});

  const auto mismatch = run_shell(kRootHashMismatch, env);
  BOOST_TEST(mismatch.exit_code == 1, mismatch.out << mismatch.err);
  BOOST_TEST(mentions(mismatch.out, "[content/artifact_digest] acme " + bundle), mismatch.out);

  const auto missing = run_shell(kMissingRecords, env);
  BOOST_TEST(missing.exit_code == 1, missing.out << missing.err);  // reconcile's: one missing
  BOOST_TEST(mentions(missing.out, "[missing] "), missing.out);
  BOOST_TEST(mentions(missing.out, lost));
}

BOOST_AUTO_TEST_CASE(migration_stuck_snippet_runs_as_written) {
  EvidenceStore store("runbook_migration_stuck");
  store.init_and_seed();
  const auto env = stella::test::runbook_environment(store);
  const auto status = run_shell("stella evidence migrate --status", env);
  BOOST_TEST(status.exit_code == 0, status.out << status.err);
  const auto logs = run_shell("stella evidence migrate --logs", env);
  BOOST_TEST(logs.exit_code == 0, logs.out << logs.err);
  // With no interrupted run there is nothing to resume: the command says so and changes nothing.
  const std::string before = store.digest_of_all_rows();
  const auto block = run_shell(kMigrationStuck, env);
  BOOST_TEST(block.exit_code == 0, block.out << block.err);
  BOOST_TEST(mentions(block.out, "No migration has run on this store."), block.out);
  BOOST_TEST(mentions(block.out, "Nothing to resume"), block.out);
  BOOST_TEST(store.digest_of_all_rows() == before);
}

BOOST_AUTO_TEST_SUITE_END()
