// The reason an operator gives a rollback (`--rollback --reason ...`) is what the run record and
// every audit event of the rollback keep — also when the rollback was killed and finished by
// `--resume`, whose own note is added beside it rather than in its place.
#include <boost/test/unit_test.hpp>

#include "migration/migration_fixture.hpp"
#include "migration/slow_run.hpp"
#include "support/background_stella.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(rollback_reason)

BOOST_AUTO_TEST_CASE(the_reason_survives_a_killed_and_resumed_rollback) {
  const std::string reason = "INC-1234 smoke test failed";
  MigrationStore store("mig_backreason");
  store.init_and_seed(slow_store());
  store.expect(0, migrate_1_0_to_2_0({"--batch-size", "500"}));
  const std::string migration_id = std::to_string(store.last_run().run_id);

  BackgroundStella rollback(
      background_arguments(store, {"--quiet", "--operator", "alice"},
                           {"evidence", "migrate", "--rollback", "--from-version", "2.0",
                            "--batch-size", "1", "--reason", reason}));
  wait_for_batches(store, rollback, 3);
  rollback.kill_now();
  store.wait_for_migration_sessions_to_end();
  const std::string run_id = std::to_string(store.last_run().run_id);

  const auto status = store.expect(0, {"evidence", "migrate", "--status", "--format", "json"});
  const rapidjson::Document json = valid_json(status.out, "migration-status.schema.json");
  BOOST_TEST(std::string(json["run"]["kind"].GetString()) == "rollback");
  BOOST_REQUIRE(json["run"]["reason"].IsString());
  BOOST_TEST(std::string(json["run"]["reason"].GetString()) == reason);

  store.expect(0, {"--operator", "bob", "evidence", "migrate", "--resume", "--batch-size", "500"});
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.scalar("SELECT reason FROM stella.migration_runs WHERE run_id = " + run_id) ==
             reason);
  BOOST_TEST(store.scalar("SELECT reason FROM stella.migration_runs WHERE run_id = " +
                          migration_id) == "rolled back by run " + run_id + ": " + reason);
  // Every event of the rollback run carries the operator's reason: its start, each step undone,
  // its end.
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE data ->> 'run_id' = '" +
                          run_id + "'") == "4");
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE data ->> 'run_id' = '" +
                          run_id + "' AND data ->> 'reason' IS DISTINCT FROM $$" + reason + "$$") ==
             "0");
  BOOST_TEST(store.scalar("SELECT data ->> 'resume_note' FROM stella.audit_events WHERE "
                          "event_type = 'rollback' AND data ->> 'run_id' = '" +
                          run_id + "'") == "resumed by bob");
  store.expect(0, {"evidence", "audit", "verify"});
}

BOOST_AUTO_TEST_CASE(a_rollback_run_records_its_reason_from_the_start) {
  MigrationStore store("mig_backreasonjson");
  store.init_and_seed();
  store.expect(0, migrate_1_0_to_2_0());
  store.expect(0, {"evidence", "migrate", "--rollback", "--from-version", "2.0", "--reason",
                   "change window closed"});
  const auto status = store.expect(0, {"evidence", "migrate", "--status", "--format", "json"});
  const rapidjson::Document json = valid_json(status.out, "migration-status.schema.json");
  BOOST_REQUIRE(json["run"]["reason"].IsString());
  BOOST_TEST(std::string(json["run"]["reason"].GetString()) == "change window closed");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
