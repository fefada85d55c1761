// One Ctrl-C (SIGINT) during a requested rollback stops it cleanly at its next batch boundary, as
// it stops a migration: exit 3, "was cancelled", the run left unfinished for `--resume`, no
// "ROLLBACK FAILED" and no rollback audit event claiming the roots did not match. `--resume` then
// finishes the rollback with the roots the store had before the migration.
#include <boost/test/unit_test.hpp>
#include <csignal>

#include "migration/migration_fixture.hpp"
#include "migration/slow_run.hpp"
#include "support/background_stella.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(cancelled_rollback)

BOOST_AUTO_TEST_CASE(ctrl_c_stops_a_requested_rollback_cleanly_and_resume_finishes_it) {
  MigrationStore store("mig_backsigint");
  store.init_and_seed(slow_store());
  const ExportedRoots before = store.roots();
  const std::string rows_before = store.evidence_rows_digest();
  store.expect(0, migrate_1_0_to_2_0({"--batch-size", "500"}));
  const std::string migration_id = std::to_string(store.last_run().run_id);

  BackgroundStella rollback(background_arguments(
      store, {"--quiet"},
      {"evidence", "migrate", "--rollback", "--from-version", "2.0", "--batch-size", "1"}));
  wait_for_batches(store, rollback, 3);
  rollback.send(SIGINT);
  const ProcessResult cancelled = rollback.wait();
  const std::int64_t run_id = store.last_run().run_id;

  BOOST_TEST(cancelled.exit_code == 3, cancelled.err);
  BOOST_TEST(mentions(cancelled.err, "rollback run " + std::to_string(run_id) +
                                         " (2.0 \u2192 1.0, undoing run " + migration_id +
                                         ") was cancelled (SIGINT or SIGTERM)"),
             cancelled.err);
  BOOST_TEST(mentions(cancelled.err, "stella evidence migrate --resume"), cancelled.err);
  // Said when the signal arrived, not only once the step reached its batch boundary.
  BOOST_TEST(mentions(cancelled.err, "signal received; the run stops at its next batch boundary"),
             cancelled.err);
  BOOST_TEST(!mentions(cancelled.err, "FAILED"), cancelled.err);
  BOOST_TEST(!mentions(cancelled.err, "backup"), cancelled.err);
  // The step is named with its library, as every step failure is.
  BOOST_TEST(mentions(cancelled.err, "libstella_schema_1_1_to_2_0.so)"), cancelled.err);
  BOOST_TEST(!mentions(cancelled.err, "), )"), cancelled.err);

  BOOST_TEST(store.last_run().status == "rolling_back");
  BOOST_TEST(store.audit_events("rollback", run_id) == 0);
  const auto logs = store.expect(0, {"evidence", "migrate", "--logs"});
  BOOST_TEST(mentions(logs.out, "cancelled (SIGINT or SIGTERM)"), logs.out);
  BOOST_TEST(mentions(store.expect(0, {"evidence", "migrate", "--status"}).out, "Interrupted"));

  const auto resumed = store.expect(0, {"evidence", "migrate", "--resume", "--batch-size", "500"});
  BOOST_TEST(mentions(resumed.out, "rolled back schema 2.0 \u2192 1.0"), resumed.out);
  BOOST_TEST(store.last_run().status == "completed");
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.evidence_rows_digest() == rows_before);
  BOOST_TEST(store.roots().global_root == before.global_root);
  BOOST_TEST(store.audit_events("rollback", run_id) == 1);
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = 'rollback' "
                          "AND data ->> 'roots_match' = 'false'") == "0");
  store.expect(0, {"evidence", "audit", "verify"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
