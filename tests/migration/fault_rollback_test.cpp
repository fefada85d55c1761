// A failure anywhere - injected through the test-only fault hook at every point of both steps, in
// the middle of batches and at the run's final check - rolls the store back automatically: schema
// 1.0, identical roots, identical rows, identical catalog, and the run recorded as rolled_back with
// the reason.
#include <boost/test/unit_test.hpp>

#include "migration/catalog_description.hpp"
#include "migration/migration_fixture.hpp"

namespace stella::test {
namespace {

/// Every point the executor offers, on both steps. With batches of kSmallBatch rows, the expand
/// step commits its schema as batch 1 and its artifacts from batch 2 on, so mid-batch:1 fails the
/// DDL transaction and mid-batch:4 fails an artifact batch after two were committed.
const char* const kFaults[] = {
    "schema-1.0-to-1.1:before-up",
    "schema-1.0-to-1.1:mid-batch:1",
    "schema-1.0-to-1.1:mid-batch:2",
    "schema-1.0-to-1.1:mid-batch:4",
    "schema-1.0-to-1.1:mid-batch:8",
    "schema-1.0-to-1.1:after-up",
    "schema-1.0-to-1.1:before-verify",
    "schema-1.0-to-1.1:after-verify",
    "schema-1.1-to-2.0:before-up",
    "schema-1.1-to-2.0:after-up",
    "schema-1.1-to-2.0:before-verify",
    "schema-1.1-to-2.0:after-verify",
    "run:before-complete",
};

}  // namespace

BOOST_AUTO_TEST_SUITE(automatic_rollback)

BOOST_AUTO_TEST_CASE(a_fault_at_every_point_leaves_the_store_as_it_was) {
  MigrationStore store("mig_faults");
  store.init_and_seed();
  const ExportedRoots before = store.roots();
  const std::string rows_before = store.evidence_rows_digest();
  const auto catalog_before = store.catalog();

  for (const char* fault : kFaults) {
    BOOST_TEST_CONTEXT("STELLA_TEST_FAULT=" << fault) {
      const auto failed = store.expect(3, migrate_1_0_to_2_0({"--batch-size", kSmallBatch}),
                                       {{"STELLA_TEST_FAULT", fault}});
      BOOST_TEST(mentions(failed.err, std::string("injected test fault at ") + fault));
      BOOST_TEST(mentions(failed.err, "failed and was rolled back automatically"));
      BOOST_TEST(mentions(failed.err, "The store is back at 1.0 with the roots it had before"));

      BOOST_TEST(store.schema_version() == "1.0");
      BOOST_TEST(store.evidence_rows_digest() == rows_before);
      BOOST_TEST(catalog_difference(catalog_before, store.catalog()) == "");
      const ExportedRoots after = store.roots();
      BOOST_TEST(after.global_root == before.global_root);
      BOOST_TEST(after.tenants == before.tenants);

      const RecordedRun run = store.last_run();
      BOOST_TEST(run.status == "rolled_back");
      BOOST_TEST(mentions(run.reason, "automatic rollback after a failure"));
      BOOST_TEST(mentions(run.reason, std::string("injected test fault at ") + fault));
      BOOST_TEST(store.audit_events("rollback", run.run_id) == 1);
      BOOST_TEST(store.audit_events("migration_start", run.run_id) == 1);
    }
  }
  store.expect(0, {"evidence", "verify-all"});
  store.expect(0, {"evidence", "audit", "verify"});
  // After all that, the migration still goes through.
  store.expect(0, migrate_1_0_to_2_0({"--batch-size", kSmallBatch}));
  BOOST_TEST(store.roots().global_root == before.global_root);
}

BOOST_AUTO_TEST_CASE(the_failed_step_is_named_in_the_run_record) {
  MigrationStore store("mig_faultstep");
  store.init_and_seed();
  store.expect(3, migrate_1_0_to_2_0({"--batch-size", kSmallBatch}),
               {{"STELLA_TEST_FAULT", "schema-1.0-to-1.1:mid-batch:4"}});
  const auto status = store.expect(0, {"evidence", "migrate", "--status", "--format", "json"});
  const rapidjson::Document json = valid_json(status.out, "migration-status.schema.json");
  const auto& steps = json["run"]["steps"];
  BOOST_TEST(std::string(steps[0]["state"].GetString()) == "rolled_back");
  BOOST_TEST(mentions(steps[0]["error"].GetString(), "failed during up after 3 committed batches"));
  BOOST_TEST(steps[0]["upCheckpoint"]["batches"].GetInt64() == 3);
  BOOST_TEST(std::string(steps[1]["state"].GetString()) == "pending");
  BOOST_TEST(!json["run"]["interrupted"].GetBool());
}

BOOST_AUTO_TEST_CASE(a_rollback_that_fails_is_loud_and_resume_finishes_it) {
  MigrationStore store("mig_faultdown");
  store.init_and_seed();
  const ExportedRoots before = store.roots();
  const std::string rows_before = store.evidence_rows_digest();

  // The contract step fails after its up; then undoing it fails too.
  const auto failed = store.expect(
      1, migrate_1_0_to_2_0({"--batch-size", kSmallBatch}),
      {{"STELLA_TEST_FAULT", "schema-1.1-to-2.0:after-verify,schema-1.1-to-2.0:before-down"}});
  BOOST_TEST(mentions(failed.err, "ROLLBACK FAILED"));
  BOOST_TEST(mentions(failed.err, "injected test fault at schema-1.1-to-2.0:before-down"));
  BOOST_TEST(mentions(failed.err, "the run had failed with"));
  BOOST_TEST(store.last_run().status == "rollback_failed");
  BOOST_TEST(store.schema_version() == "1.1");

  const auto resumed = store.expect(0, {"evidence", "migrate", "--resume"});
  BOOST_TEST(mentions(resumed.out, "rolled back schema 1.0 \u2192 2.0"));
  BOOST_TEST(store.last_run().status == "rolled_back");
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.evidence_rows_digest() == rows_before);
  BOOST_TEST(store.roots().global_root == before.global_root);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
