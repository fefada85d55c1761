// The migration lock: a second run is refused at once, naming who holds the lock. A run killed with
// SIGKILL in the middle of its batches leaves a consistent, resumable state; --resume finishes it.
// stella's evidence writers (seed, import, orphans --quarantine) refuse while a run is unfinished.
// A run whose connection to PostgreSQL is lost stops as it is, resumable, without rolling back.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "migration/migration_fixture.hpp"
#include "migration/slow_run.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/migration/migration_lock.hpp"
#include "support/background_stella.hpp"

namespace stella::test {
namespace {

/// Batches the killed run must have committed before it is killed.
constexpr std::int64_t kBatchesBeforeKill = 5;
constexpr auto kPollInterval = std::chrono::milliseconds(20);
/// Only guards against a hang; the store takes several seconds at one row per batch.
constexpr auto kPollLimit = std::chrono::seconds(120);

}  // namespace

BOOST_AUTO_TEST_SUITE(lock_and_resume)

BOOST_AUTO_TEST_CASE(a_foreign_lock_holder_is_named_and_nothing_waits) {
  MigrationStore store("mig_foreignlock");
  store.init_and_seed();
  const auto holder = host::PgConnection::connect(store.conninfo());
  holder->exec("SELECT set_config('application_name', 'maintenance-script', false)");
  BOOST_REQUIRE(host::try_acquire_migration_lock(*holder));
  const std::string rows = store.evidence_rows_digest();

  const auto refused = store.expect(3, migrate_1_0_to_2_0());
  BOOST_TEST(mentions(refused.err,
                      "another migration holds this store's migration lock: server "
                      "process " +
                          std::to_string(holder->backend_pid())));
  BOOST_TEST(mentions(refused.err, "application 'maintenance-script'"));
  BOOST_TEST(mentions(refused.err, "not a recorded stella migration run"));
  BOOST_TEST(mentions(refused.err, "refused without waiting"));
  BOOST_TEST(mentions(store.expect(3, migrate_1_0_to_2_0({"--dry-run"})).err,
                      "a migration is running on this store"));
  BOOST_TEST(mentions(store.expect(3, {"evidence", "migrate", "--resume"}).err,
                      "holds this store's migration lock"));
  const auto status = store.expect(0, {"evidence", "migrate", "--status"});
  BOOST_TEST(mentions(status.out, "Migration lock: server process"));
  BOOST_TEST(store.evidence_rows_digest() == rows);

  host::release_migration_lock(*holder);

  // A stella migration holds the lock for a moment before its run is recorded: named as such.
  holder->exec("SELECT set_config('application_name', 'stella migrate lock (bob)', false)");
  BOOST_REQUIRE(host::try_acquire_migration_lock(*holder));
  const auto preparing = store.expect(3, migrate_1_0_to_2_0());
  BOOST_TEST(mentions(preparing.err, "a stella migration that is still preparing its run"),
             preparing.err);
  host::release_migration_lock(*holder);
  store.expect(0, migrate_1_0_to_2_0());
}

BOOST_AUTO_TEST_CASE(a_second_run_is_refused_naming_the_first_and_sigkill_is_resumed) {
  MigrationStore store("mig_kill");
  store.init_and_seed(slow_store());
  const ExportedRoots before = store.roots();
  // An export of the store as it is, to try an import while the run is unfinished.
  const std::filesystem::path backup =
      std::filesystem::temp_directory_path() / ("stella-mig-kill-" + std::to_string(::getpid()));
  std::filesystem::remove_all(backup);
  store.expect(0, {"evidence", "export", "--all", "--output", backup.string()});

  BackgroundStella first(slow_migration_arguments(store, {"--operator", "night-shift", "--quiet"}));
  wait_for_batches(store, first, kBatchesBeforeKill);

  const auto second = store.expect(3, migrate_1_0_to_2_0());
  const std::string run_id = store.scalar("SELECT max(run_id) FROM stella.migration_runs");
  BOOST_TEST(mentions(second.err, "run " + run_id +
                                      " (migrate 1.0 \u2192 2.0, running) of "
                                      "operator night-shift on host "));
  BOOST_TEST(mentions(second.err, "(pid " + std::to_string(first.pid()) + ")"));
  const auto active = store.expect(0, {"evidence", "migrate", "--status"});
  BOOST_TEST(mentions(active.out, "Active: the process holding the migration lock"));
  // stella's own writers stay out while the run goes on: what they wrote, it would not carry.
  const auto seed_while_running =
      store.expect(3, {"evidence", "seed", "--tenants", "1", "--bundles", "1"});
  BOOST_TEST(mentions(seed_while_running.err,
                      "seed refused: a schema migration of this store is unfinished: run " +
                          run_id + " (migrate 1.0 \u2192 2.0, running"),
             seed_while_running.err);
  BOOST_TEST(mentions(seed_while_running.err,
                      "is running. Evidence written now would not be "
                      "carried by it; nothing was written"));

  first.kill_now();
  store.wait_for_migration_sessions_to_end();
  const std::int64_t batches_at_kill = committed_batches(store);
  BOOST_TEST(batches_at_kill >= kBatchesBeforeKill);

  const auto status = store.expect(0, {"evidence", "migrate", "--status", "--format", "json"});
  const rapidjson::Document json = valid_json(status.out, "migration-status.schema.json");
  BOOST_TEST(std::string(json["run"]["status"].GetString()) == "running");
  BOOST_TEST(json["run"]["interrupted"].GetBool());
  BOOST_TEST(json["lockHolder"].IsNull());
  BOOST_TEST(std::string(json["run"]["steps"][0]["state"].GetString()) == "running");
  BOOST_TEST(json["run"]["steps"][0]["upCheckpoint"]["batches"].GetInt64() == batches_at_kill);
  BOOST_TEST(mentions(store.expect(0, {"evidence", "migrate", "--status"}).out, "Interrupted"));

  BOOST_TEST(mentions(store.expect(3, migrate_1_0_to_2_0()).err, "is unfinished"));
  const std::string rows = store.evidence_rows_digest();
  for (const std::vector<std::string>& writer :
       {std::vector<std::string>{"evidence", "seed", "--tenants", "1", "--bundles", "1"},
        std::vector<std::string>{"evidence", "import", backup.string()},
        std::vector<std::string>{"evidence", "orphans", "--quarantine"}}) {
    const auto refused = store.expect(3, writer);
    BOOST_TEST(mentions(refused.err, "was interrupted and no process drives it"), refused.err);
    BOOST_TEST(mentions(refused.err, "stella evidence migrate --resume"), refused.err);
  }
  BOOST_TEST(store.evidence_rows_digest() == rows);
  std::filesystem::remove_all(backup);

  // The rest of the work in bigger batches: checkpoints are keys, so any batch size continues.
  const auto resumed = store.expect(0, {"evidence", "migrate", "--resume", "--batch-size", "500"});
  BOOST_TEST(mentions(resumed.out, "migrated schema 1.0 \u2192 2.0 (run " + run_id + ")"));
  BOOST_TEST(store.schema_version() == "2.0");
  const ExportedRoots after = store.roots();
  BOOST_TEST(after.global_root == before.global_root);
  BOOST_TEST(after.tenants == before.tenants);
  store.expect(0, {"evidence", "verify-all"});
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifacts") == "640");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests") == "640");
  BOOST_TEST(store.last_run().status == "completed");
  // The batch size the resumed run went on with is the run's now, in --status too.
  const auto resumed_status =
      valid_json(store.expect(0, {"evidence", "migrate", "--status", "--format", "json"}).out,
                 "migration-status.schema.json");
  BOOST_TEST(resumed_status["run"]["batchSize"].GetInt64() == 500);
  const std::string logs = store.expect(0, {"evidence", "migrate", "--logs"}).out;
  BOOST_TEST(mentions(logs, "taken over by"));
  // The resumed session's count is not read as rows lost.
  BOOST_TEST(mentions(logs, "copied the remaining "), logs);
  BOOST_TEST(mentions(logs, " artifacts (the others were copied before the interruption)"), logs);
  BOOST_TEST(
      mentions(store.expect(0, {"evidence", "migrate", "--resume"}).out, "Nothing to resume"));
}

BOOST_AUTO_TEST_CASE(a_lost_connection_leaves_the_run_resumable_without_rolling_back) {
  MigrationStore store("mig_lost");
  store.init_and_seed(slow_store());
  const ExportedRoots before = store.roots();
  BackgroundStella run(slow_migration_arguments(store, {"--quiet"}));
  wait_for_batches(store, run, kBatchesBeforeKill);
  // What a server restart (the OOM killer, a failover) does to the run's sessions: the migration
  // lock goes with the one that held it, so the run must not go on, not even to roll back.
  BOOST_TEST(store.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                          "WHERE datname = current_database() "
                          "AND application_name LIKE 'stella migrate %'") == "2");
  const ProcessResult lost = run.wait();
  BOOST_TEST(lost.exit_code == 3, lost.err);
  BOOST_TEST(mentions(lost.err, "was interrupted: the connection to PostgreSQL was lost"),
             lost.err);
  BOOST_TEST(mentions(lost.err, "nothing was rolled back"), lost.err);
  BOOST_TEST(mentions(lost.err, "stella evidence migrate --resume"), lost.err);
  // One warning for the run log, not one per line that could not be written.
  const std::string warning = "could not write the run log";
  const std::size_t first = lost.err.find(warning);
  BOOST_TEST((first == std::string::npos ||
              lost.err.find(warning, first + warning.size()) == std::string::npos),
             lost.err);

  store.wait_for_migration_sessions_to_end();
  BOOST_TEST(store.last_run().status == "running");
  BOOST_TEST(committed_batches(store) >= kBatchesBeforeKill);
  store.expect(0, {"evidence", "migrate", "--resume", "--batch-size", "500"});
  BOOST_TEST(store.schema_version() == "2.0");
  BOOST_TEST(store.roots().global_root == before.global_root);
  BOOST_TEST(store.last_run().status == "completed");
}

BOOST_AUTO_TEST_CASE(a_run_whose_lock_session_ends_stops_before_its_next_commit) {
  // An administrator ends the idle lock session only (or an idle-session timeout does): the work
  // session goes on, but the lock is free and --status calls the run interrupted, so --resume
  // could take it over. The run must not commit another batch.
  MigrationStore store("mig_lockgone");
  store.init_and_seed(slow_store());
  const ExportedRoots before = store.roots();
  BackgroundStella run(slow_migration_arguments(store, {"--quiet"}));
  wait_for_batches(store, run, kBatchesBeforeKill);
  BOOST_TEST(store.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                          "WHERE datname = current_database() "
                          "AND application_name LIKE 'stella migrate lock %'") == "1");
  const ProcessResult stopped = run.wait();
  BOOST_TEST(stopped.exit_code == 3, stopped.err);
  BOOST_TEST(mentions(stopped.err, "held this run's migration lock"), stopped.err);
  BOOST_TEST(mentions(stopped.err, "nothing was rolled back"), stopped.err);
  BOOST_TEST(!mentions(stopped.err, "migrated schema"), stopped.err);

  store.wait_for_migration_sessions_to_end();
  BOOST_TEST(store.last_run().status == "running");
  store.expect(0, {"evidence", "migrate", "--resume", "--batch-size", "500"});
  BOOST_TEST(store.schema_version() == "2.0");
  BOOST_TEST(store.roots().global_root == before.global_root);
  BOOST_TEST(store.last_run().status == "completed");
  store.expect(0, {"evidence", "verify-all"});
}

BOOST_AUTO_TEST_CASE(status_names_the_session_that_blocks_a_running_migration) {
  // "Migration stuck or timeout": --status shows what the run's work session waits for and which
  // session holds it up.
  MigrationStore store("mig_blocked");
  store.init_and_seed(slow_store());
  BackgroundStella run(slow_migration_arguments(store, {"--quiet"}));
  wait_for_batches(store, run, 2);
  // An administrator's session takes a lock the next batch needs and keeps its transaction open.
  const auto blocker = host::PgConnection::connect(store.conninfo());
  blocker->exec("BEGIN");
  blocker->exec("LOCK TABLE evidence.artifacts IN ACCESS EXCLUSIVE MODE");
  const std::string blocker_pid = std::to_string(blocker->backend_pid());

  const auto deadline = std::chrono::steady_clock::now() + kPollLimit;
  std::string said;
  while (!mentions(said, "blocked by pid " + blocker_pid)) {
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                          "--status never named the blocking session:\n"
                              << said);
    std::this_thread::sleep_for(kPollInterval);
    said = store.expect(0, {"evidence", "migrate", "--status"}).out;
  }
  BOOST_TEST(mentions(said, "Work session: pid "), said);
  BOOST_TEST(mentions(said, "waiting for Lock (relation)"), said);
  BOOST_TEST(mentions(said, "idle in transaction"), said);
  BOOST_TEST(mentions(said, "LOCK TABLE evidence.artifacts IN ACCESS EXCLUSIVE MODE"), said);
  const auto json = store.expect(0, {"evidence", "migrate", "--status", "--format", "json"});
  const rapidjson::Document status = valid_json(json.out, "migration-status.schema.json");
  BOOST_TEST(status["workSession"]["blockedBy"][0]["pid"].GetInt() == blocker->backend_pid());

  blocker->exec("ROLLBACK");
  const ProcessResult finished = run.wait();
  BOOST_TEST(finished.exit_code == 0, finished.err);
  BOOST_TEST(store.expect(0, {"evidence", "migrate", "--status", "--format", "json"})
                 .out.find("\"workSession\": null") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_migration_waiting_for_an_evidence_writer_says_for_whom) {
  MigrationStore store("mig_waits");
  store.init_and_seed(slow_store());
  // A writer (seed, import) holding the evidence write lock in its transaction.
  const auto writer = host::PgConnection::connect(store.conninfo());
  writer->exec("BEGIN");
  writer->exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(host::kEvidenceWriteLockKey)});
  std::vector<std::string> args = {"--database", store.conninfo()};
  for (const auto& arg : migrate_1_0_to_2_0()) {
    args.push_back(arg);
  }
  BackgroundStella run(args);
  const std::string holder = "server process " + std::to_string(writer->backend_pid()) + " (";
  BOOST_REQUIRE_MESSAGE(run.wait_for_err(holder, kPollLimit),
                        "the migration did not say whom it waits for:\n"
                            << run.err());
  BOOST_TEST(mentions(run.err(), "waiting for the evidence write lock"), run.err());
  writer->exec("COMMIT");
  const ProcessResult finished = run.wait();
  BOOST_TEST(finished.exit_code == 0, finished.err);
  BOOST_TEST(store.schema_version() == "2.0");
}

BOOST_AUTO_TEST_CASE(ctrl_c_cancels_the_run_and_rolls_it_back) {
  MigrationStore store("mig_sigint");
  store.init_and_seed(slow_store());
  const ExportedRoots before = store.roots();
  BackgroundStella run(slow_migration_arguments(store, {"--quiet"}));
  wait_for_batches(store, run, 2);
  run.send(SIGINT);
  const ProcessResult cancelled = run.wait();
  BOOST_TEST(cancelled.exit_code == 3, cancelled.err);
  BOOST_TEST(mentions(cancelled.err, "was cancelled (SIGINT or SIGTERM) and rolled back: "),
             cancelled.err);
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.roots().global_root == before.global_root);
  BOOST_TEST(store.last_run().status == "rolled_back");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
