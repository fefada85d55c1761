// While a migration run is unfinished — killed in the middle of a step, or in the middle of a
// requested rollback — the verbs that read the store refuse (exit 3), naming the run, the step it
// stopped in and the command that finishes or undoes it, instead of failing on the half-changed
// tables with raw SQL errors and an advice to restore a backup. `migrate --status` keeps working,
// and once the run is resumed the same verbs work again.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "migration/migration_fixture.hpp"
#include "migration/slow_run.hpp"
#include "support/background_stella.hpp"

namespace stella::test {
namespace {

constexpr std::int64_t kBatchesBeforeKill = 5;

/// The verbs that only read the store (export writes nothing into it).
std::vector<std::vector<std::string>> reading_verbs(const std::string& export_dir) {
  return {{"evidence", "stats", "--detailed"},
          {"evidence", "verify-all"},
          {"evidence", "roots-export", "--all"},
          {"evidence", "orphans", "--list"},
          {"evidence", "export", "--all", "--output", export_dir},
          {"evidence", "integrity-check"},
          {"evidence", "integrity-check", "--deep"},
          {"evidence", "reindex", "--progress"}};
}

/// Every reading verb is refused with exit 3, saying each of `expected`, and never sending the
/// operator to a backup.
void expect_readers_refused(MigrationStore& store, const std::vector<std::string>& expected) {
  const std::filesystem::path export_dir =
      std::filesystem::temp_directory_path() / ("stella-unfinished-" + std::to_string(::getpid()));
  for (const auto& verb : reading_verbs(export_dir.string())) {
    const ProcessResult refused = store.expect(3, verb);
    const std::string said = verb[1] + " said:\n" + refused.err;
    for (const std::string& part : expected) {
      BOOST_TEST(mentions(refused.err, part), said);
    }
    BOOST_TEST(!mentions(refused.err, "backup"), said);
    BOOST_TEST(!mentions(refused.err, "SQLSTATE"), said);
    BOOST_TEST(!mentions(refused.err, "use a stella release"), said);
  }
  BOOST_TEST(!std::filesystem::exists(export_dir));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unfinished_run_readers)

BOOST_AUTO_TEST_CASE(readers_refuse_naming_a_killed_migration_and_work_after_resume) {
  MigrationStore store("mig_readkill");
  store.init_and_seed(slow_store());
  const ExportedRoots before = store.roots();
  BackgroundStella run(slow_migration_arguments(store, {"--quiet"}));
  wait_for_batches(store, run, kBatchesBeforeKill);
  run.kill_now();
  store.wait_for_migration_sessions_to_end();
  const std::string run_id = store.scalar("SELECT max(run_id) FROM stella.migration_runs");

  expect_readers_refused(
      store, {"stella: error: the evidence store in database ",
              "is in the middle of a schema migration: run " + run_id +
                  " (migrate 1.0 \u2192 2.0, running, started ",
              "was interrupted and no process drives it, in step 1 of 2 (schema-1.0-to-1.1 ",
              "batches committed)", "nothing was read or changed",
              "continue it with `stella evidence migrate --resume`",
              "`stella evidence migrate --rollback --from-version 2.0`"});

  const auto status = store.expect(0, {"evidence", "migrate", "--status"});
  BOOST_TEST(mentions(status.out,
                      "Interrupted: no process drives this run any more; it stopped "
                      "in step 1 of 2 (schema-1.0-to-1.1 "),
             status.out);

  store.expect(0, {"evidence", "migrate", "--resume", "--batch-size", "500"});
  store.expect(0, {"evidence", "stats"});
  store.expect(0, {"evidence", "verify-all"});
  store.expect(0, {"evidence", "integrity-check"});
  BOOST_TEST(store.roots().global_root == before.global_root);
}

BOOST_AUTO_TEST_CASE(readers_refuse_naming_a_killed_rollback_and_work_after_resume) {
  MigrationStore store("mig_readkillback");
  store.init_and_seed(slow_store());
  const ExportedRoots before = store.roots();
  store.expect(0, migrate_1_0_to_2_0({"--batch-size", "500"}));
  BackgroundStella rollback(background_arguments(
      store, {"--quiet"},
      {"evidence", "migrate", "--rollback", "--from-version", "2.0", "--batch-size", "1"}));
  wait_for_batches(store, rollback, kBatchesBeforeKill);
  rollback.kill_now();
  store.wait_for_migration_sessions_to_end();
  const std::string run_id = store.scalar("SELECT max(run_id) FROM stella.migration_runs");
  // `migrate --rollback` accepts the version the store is at now for an unfinished rollback run.
  const std::string version_now = store.schema_version();

  expect_readers_refused(
      store, {"is in the middle of a schema migration: run " + run_id +
                  " (rollback 2.0 \u2192 1.0, rolling_back, started ",
              "was interrupted and no process drives it, in step 1 of 2 (schema-1.1-to-2.0 ",
              ", down, ", "finish its rollback with `stella evidence migrate --resume`",
              "`stella evidence migrate --rollback --from-version " + version_now + "`"});
  store.expect(0, {"evidence", "migrate", "--status"});

  store.expect(0, {"evidence", "migrate", "--resume", "--batch-size", "500"});
  BOOST_TEST(store.schema_version() == "1.0");
  store.expect(0, {"evidence", "verify-all"});
  store.expect(0, {"evidence", "integrity-check"});
  BOOST_TEST(store.roots().global_root == before.global_root);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
