// `migrate --rollback --from-version 2.0`: back to 1.0 with the same rows, catalog and roots as
// before the migration, recorded as a run and in the audit trail; refused when evidence changed
// since; a rollback interrupted by a failure is finished by --resume.
#include <boost/test/unit_test.hpp>

#include "migration/catalog_description.hpp"
#include "migration/migration_fixture.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(rollback)

BOOST_AUTO_TEST_CASE(restores_rows_catalog_and_roots) {
  MigrationStore store("mig_back");
  store.init_and_seed();
  const ExportedRoots before = store.roots();
  const std::string rows_before = store.evidence_rows_digest();
  const auto catalog_before = store.catalog();
  store.expect(0, migrate_1_0_to_2_0({"--batch-size", kSmallBatch}));
  const auto migration = store.last_run();

  const auto rolled = store.expect(0, {"evidence", "migrate", "--rollback", "--from-version", "2.0",
                                       "--reason", "smoke test failed", "--format", "json"});
  const rapidjson::Document outcome = valid_json(rolled.out, "migration-run.schema.json");
  BOOST_TEST(std::string(outcome["kind"].GetString()) == "rollback");
  BOOST_TEST(std::string(outcome["schemaVersion"].GetString()) == "1.0");

  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.evidence_rows_digest() == rows_before);
  BOOST_TEST(catalog_difference(catalog_before, store.catalog()) == "");
  const ExportedRoots after = store.roots();
  BOOST_TEST(after.global_root == before.global_root);
  BOOST_TEST(after.tenants == before.tenants);
  store.expect(0, {"evidence", "verify-all"});

  const auto rollback_run = store.last_run();
  BOOST_TEST(rollback_run.kind == "rollback");
  BOOST_TEST(rollback_run.status == "completed");
  BOOST_TEST(store.scalar("SELECT status || ': ' || reason FROM stella.migration_runs WHERE "
                          "run_id = " +
                          std::to_string(migration.run_id)) ==
             "rolled_back: rolled back by run " + std::to_string(rollback_run.run_id) +
                 ": smoke test failed");
  BOOST_TEST(store.audit_events("rollback", rollback_run.run_id) == 1);
  BOOST_TEST(store.scalar("SELECT data ->> 'reason' || ' / ' || (data ->> 'restored_version') "
                          "FROM stella.audit_events WHERE event_type = 'rollback' ORDER BY id "
                          "DESC LIMIT 1") == "smoke test failed / 1.0");
  BOOST_TEST(store.audit_events("schema_change", rollback_run.run_id) == 2);
  store.expect(0, {"evidence", "audit", "verify"});

  // Nothing left to roll back; migrating again works from the restored store.
  store.expect(3, {"evidence", "migrate", "--rollback", "--from-version", "1.0"});
  store.expect(0, migrate_1_0_to_2_0());
  BOOST_TEST(store.roots().global_root == before.global_root);
}

BOOST_AUTO_TEST_CASE(is_refused_when_the_evidence_changed_since_the_migration) {
  MigrationStore store("mig_backchanged");
  store.init_and_seed();
  store.expect(0, migrate_1_0_to_2_0());
  store.expect(0, {"evidence", "seed", "--tenants", "1", "--bundles", "1", "--seed", "42",
                   "--since", "2026-01-01"});
  const std::string rows = store.evidence_rows_digest();
  const auto refused =
      store.expect(3, {"evidence", "migrate", "--rollback", "--from-version", "2.0"});
  BOOST_TEST(mentions(refused.err, "the evidence changed since run"));
  BOOST_TEST(mentions(refused.err, "Restore from Backup"));
  BOOST_TEST(store.schema_version() == "2.0");
  BOOST_TEST(store.evidence_rows_digest() == rows);

  const auto wrong =
      store.expect(3, {"evidence", "migrate", "--rollback", "--from-version", "1.0"});
  BOOST_TEST(mentions(wrong.err, "the store is at schema 2.0, not 1.0"));
}

BOOST_AUTO_TEST_CASE(is_refused_after_a_reindex_saying_so_rather_than_evidence_changed) {
  MigrationStore store("mig_backreindexed");
  store.init_and_seed();
  store.expect(0, migrate_1_0_to_2_0());
  store.expect(0, {"evidence", "reindex", "--algorithm", "sha512"});
  const std::string rows = store.evidence_rows_digest();
  const auto refused =
      store.expect(3, {"evidence", "migrate", "--rollback", "--from-version", "2.0"});
  BOOST_TEST(mentions(refused.err, "the store was reindexed to sha512 since run "), refused.err);
  BOOST_TEST(mentions(refused.err, "(its roots then were sha256)"), refused.err);
  BOOST_TEST(!mentions(refused.err, "the evidence changed"), refused.err);
  BOOST_TEST(store.schema_version() == "2.0");
  BOOST_TEST(store.evidence_rows_digest() == rows);
}

BOOST_AUTO_TEST_CASE(is_refused_over_a_generation_still_being_built_without_recording_a_run) {
  // An interrupted reindex (or one that started after the rollback's first checks) leaves a
  // generation "building" while the active algorithm is unchanged. The rollback once recorded its
  // run, then its first down step refused: rollback_failed, a cause no --resume could remove, and
  // every verb refusing the store.
  MigrationStore store("mig_backbuilding");
  store.init_and_seed();
  store.expect(0, migrate_1_0_to_2_0());
  store.sql().exec(
      "INSERT INTO evidence.digest_generations (generation, algorithm, state, active) "
      "VALUES (2, 'sha512', 'building', false)");
  const std::string rows = store.evidence_rows_digest();
  const auto refused =
      store.expect(3, {"evidence", "migrate", "--rollback", "--from-version", "2.0"});
  BOOST_TEST(mentions(refused.err, "a reindex added generation 2 (sha512, building) since run "),
             refused.err);
  BOOST_TEST(mentions(refused.err, "nothing was changed"), refused.err);
  BOOST_TEST(!mentions(refused.err, "ROLLBACK FAILED"), refused.err);
  BOOST_TEST(store.last_run().kind == "migrate");
  BOOST_TEST(store.last_run().status == "completed");
  BOOST_TEST(store.evidence_rows_digest() == rows);
  store.expect(0, {"evidence", "stats"});
}

BOOST_AUTO_TEST_CASE(a_failed_rollback_is_reported_and_finished_by_resume) {
  MigrationStore store("mig_backfail");
  store.init_and_seed();
  const ExportedRoots before = store.roots();
  const std::string rows_before = store.evidence_rows_digest();
  store.expect(0, migrate_1_0_to_2_0({"--batch-size", kSmallBatch}));

  // The contract step's down fails in its third batch: the rollback stops part way.
  const auto failed =
      store.expect(1, {"evidence", "migrate", "--rollback", "--from-version", "2.0"},
                   {{"STELLA_TEST_FAULT", "schema-1.1-to-2.0:mid-down-batch:3"}});
  BOOST_TEST(mentions(failed.err, "ROLLBACK FAILED"));
  BOOST_TEST(mentions(failed.err, "injected test fault at schema-1.1-to-2.0:mid-down-batch:3"));
  BOOST_TEST(mentions(failed.err, "--resume"));
  BOOST_TEST(store.last_run().status == "rollback_failed");

  const auto status = store.expect(0, {"evidence", "migrate", "--status", "--format", "json"});
  const rapidjson::Document status_json = valid_json(status.out, "migration-status.schema.json");
  BOOST_TEST(std::string(status_json["run"]["status"].GetString()) == "rollback_failed");
  BOOST_TEST(status_json["run"]["interrupted"].GetBool());
  BOOST_TEST(status_json["run"]["steps"][0]["downCheckpoint"]["batches"].GetInt64() == 2);

  // A new migration waits for this one to be settled.
  BOOST_TEST(mentions(store.expect(3, migrate_1_0_to_2_0()).err, "is unfinished"));

  store.expect(0, {"evidence", "migrate", "--resume"});
  BOOST_TEST(store.last_run().status == "completed");
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.evidence_rows_digest() == rows_before);
  BOOST_TEST(store.roots().global_root == before.global_root);
  store.expect(0, {"evidence", "verify-all"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
