// Reindex as an operator runs it on a live store: killed with SIGKILL mid-run and resumed, stopped
// with Ctrl-C and resumed, cut off from PostgreSQL and resumed, joined by a second process that
// shares the batches, and run while evidence keeps arriving.
#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "reindex/generation_store.hpp"
#include "reindex/reindex_test_support.hpp"
#include "support/background_stella.hpp"
#include "support/other_sessions.hpp"
#include "support/scratch_database.hpp"

namespace {

using stella::test::BackgroundStella;
using stella::test::check_generation;
using stella::test::GenerationStore;
using stella::test::IngestGenerations;
using stella::test::IngestOptions;
using stella::test::mentions;
using stella::test::ProcessResult;

/// Test-only hook (docs/reindex.md): each worker pauses this long after every batch, so a run
/// lasts long enough to be killed, joined or fed while it runs.
const std::map<std::string, std::string> kSlowBatches = {
    {"STELLA_TEST_REINDEX_BATCH_DELAY_MS", "150"}};

constexpr auto kPoll = std::chrono::milliseconds(50);
constexpr auto kPatience = std::chrono::seconds(120);

IngestOptions medium_store() {
  IngestOptions options;
  options.tenants = 3;
  options.bundles_per_tenant = 8;
  options.artifacts_per_bundle = 3;
  return options;
}

std::int64_t batches_done(GenerationStore& store) {
  const std::string count =
      store.scalar("SELECT count(*) FROM stella.reindex_batches WHERE state = 'done'");
  return count.empty() ? 0 : std::stoll(count);
}

/// Waits until `done()` holds; fails the test when it takes unreasonably long.
template <typename Condition>
void wait_until(Condition done, const char* what) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!done()) {
    const bool in_time = std::chrono::steady_clock::now() < deadline;
    BOOST_REQUIRE_MESSAGE(in_time, "timed out waiting: " << what);
    std::this_thread::sleep_for(kPoll);
  }
}

std::vector<std::string> reindex_args(const GenerationStore& store,
                                      std::vector<std::string> extra) {
  std::vector<std::string> args = {"--database", store.conninfo(), "evidence",
                                   "reindex",    "--algorithm",    "sha512"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crash_and_share)

BOOST_AUTO_TEST_CASE(sigkill_mid_run_then_resume_gives_the_roots_of_an_uninterrupted_run) {
  GenerationStore reference("rx_ref");
  reference.ingest(medium_store());
  BOOST_TEST_REQUIRE(reference.stella({"evidence", "reindex", "--algorithm", "sha512"}).exit_code ==
                     0);
  const std::string expected = reference.global_root(2);

  GenerationStore store("rx_kill");
  store.ingest(medium_store());
  {
    BackgroundStella victim(reindex_args(store, {"--batch-size", "3"}), kSlowBatches);
    wait_until([&] { return batches_done(store) >= 3; }, "three batches done");
    victim.kill_now();
    BOOST_TEST(victim.wait().exit_code == 128 + 9);
  }
  BOOST_TEST(store.scalar("SELECT state FROM evidence.digest_generations WHERE generation = 2") ==
             "building");
  BOOST_TEST(store.scalar("SELECT generation FROM evidence.digest_generations WHERE active") ==
             "1");
  const std::int64_t kept = batches_done(store);
  BOOST_TEST(kept >= 3);

  // The killed worker ran on this machine and its process is gone: --progress calls the run
  // interrupted at once, without following it as running until its heartbeat goes stale.
  const ProcessResult progress =
      store.stella({"evidence", "reindex", "--progress", "--format", "json"});
  BOOST_TEST(mentions(progress.out, "\"status\":\"interrupted\""), progress.out);
  BOOST_TEST(!mentions(progress.out, "\"status\":\"running\""), progress.out);
  // Nothing goes on, so no time is left to estimate.
  BOOST_TEST(mentions(progress.out, "\"etaSeconds\":null"), progress.out);
  BOOST_TEST(!mentions(store.stella({"evidence", "reindex", "--progress"}).out, "ETA"));

  const ProcessResult resumed = store.stella({"evidence", "reindex", "--resume"});
  BOOST_TEST_REQUIRE(resumed.exit_code == 0, resumed.err);
  BOOST_TEST(mentions(resumed.out, "sealed and active"), resumed.out);
  BOOST_TEST(mentions(resumed.out, "(joined)"), resumed.out);
  BOOST_TEST(store.global_root(2) == expected);
  BOOST_TEST(check_generation(store.connection(), 2).clean());
  // Batches done before the kill were not done again.
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.reindex_batches") ==
             store.scalar("SELECT count(*) FROM stella.reindex_batches WHERE state = 'done'"));
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.reindex_runs") == "1");

  const ProcessResult nothing = store.stella({"evidence", "reindex", "--resume"});
  BOOST_TEST(nothing.exit_code == 0);
  BOOST_TEST(mentions(nothing.out, "nothing to resume"), nothing.out);
}

BOOST_AUTO_TEST_CASE(ctrl_c_mid_run_stops_after_the_batches_in_hand_and_says_how_to_go_on) {
  GenerationStore store("rx_sigint");
  store.ingest(medium_store());
  {
    BackgroundStella operator_run(reindex_args(store, {"--batch-size", "3", "--parallel", "2"}),
                                  kSlowBatches);
    wait_until([&] { return batches_done(store) >= 2; }, "two batches done");
    operator_run.send(SIGINT);
    const ProcessResult stopped = operator_run.wait();
    BOOST_TEST(stopped.exit_code == 3, stopped.err);
    BOOST_TEST(mentions(stopped.err, "interrupted (SIGINT or SIGTERM): "), stopped.err);
    BOOST_TEST(mentions(stopped.err, "batches are done and kept"), stopped.err);
    BOOST_TEST(mentions(stopped.err, "the active generation is unchanged"), stopped.err);
    BOOST_TEST(mentions(stopped.err, "stella evidence reindex --resume"), stopped.err);
  }
  BOOST_TEST(store.scalar("SELECT generation FROM evidence.digest_generations WHERE active") ==
             "1");
  // The worker left the run as it stopped: interrupted at once, not after its heartbeat went stale.
  const ProcessResult progress = store.stella({"evidence", "reindex", "--progress"});
  BOOST_TEST(mentions(progress.out, "interrupted"), progress.out);
  BOOST_TEST(mentions(progress.out, "0 alive"), progress.out);
  const std::int64_t kept = batches_done(store);
  BOOST_TEST(kept >= 2);
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.reindex_batches WHERE state <> 'done'") !=
             "0");

  const ProcessResult resumed = store.stella({"evidence", "reindex", "--resume"});
  BOOST_TEST_REQUIRE(resumed.exit_code == 0, resumed.err);
  BOOST_TEST(mentions(resumed.out, "sealed and active"), resumed.out);
  BOOST_TEST(check_generation(store.connection(), 2).clean());
}

BOOST_AUTO_TEST_CASE(a_lost_connection_stops_the_run_saying_what_is_kept_and_resume_ends_it) {
  GenerationStore store("rx_lost");
  store.ingest(medium_store());
  {
    BackgroundStella run(reindex_args(store, {"--batch-size", "3", "--parallel", "2"}),
                         kSlowBatches);
    wait_until([&] { return batches_done(store) >= 2; }, "two batches done");
    // What a server restart does to the run: every session of it ends at once.
    stella::test::end_other_sessions(store.connection());
    const ProcessResult lost = run.wait();
    BOOST_TEST(lost.exit_code == 3, lost.err);
    BOOST_TEST(mentions(lost.err, "was interrupted: the connection to PostgreSQL was lost"),
               lost.err);
    BOOST_TEST(mentions(lost.err, "The batches committed before it are kept"), lost.err);
    BOOST_TEST(mentions(lost.err, "stella evidence reindex --resume"), lost.err);
  }
  BOOST_TEST(store.scalar("SELECT generation FROM evidence.digest_generations WHERE active") ==
             "1");
  BOOST_TEST(batches_done(store) >= 2);
  const ProcessResult resumed = store.stella({"evidence", "reindex", "--resume"});
  BOOST_TEST_REQUIRE(resumed.exit_code == 0, resumed.err);
  BOOST_TEST(mentions(resumed.out, "sealed and active"), resumed.out);
  BOOST_TEST(check_generation(store.connection(), 2).clean());
}

BOOST_AUTO_TEST_CASE(a_second_process_joins_the_run_and_both_claim_batches) {
  GenerationStore store("rx_share");
  store.ingest(medium_store());
  BackgroundStella first(reindex_args(store, {"--batch-size", "3"}), kSlowBatches);
  wait_until([&] { return batches_done(store) >= 1; }, "the first process to start");
  BackgroundStella second(reindex_args(store, {"--batch-size", "3"}), kSlowBatches);
  const ProcessResult one = first.wait();
  const ProcessResult two = second.wait();
  BOOST_TEST_REQUIRE(one.exit_code == 0, one.err);
  BOOST_TEST_REQUIRE(two.exit_code == 0, two.err);
  BOOST_TEST(mentions(two.err, "joined run"), two.err);
  BOOST_TEST(store.scalar("SELECT count(DISTINCT done_by) FROM stella.reindex_batches") == "2");
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.reindex_runs") == "1");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.root_transitions") == "1");
  BOOST_TEST(check_generation(store.connection(), 2).clean());
  // One of them sealed, the other saw it sealed.
  BOOST_TEST((mentions(one.out + two.out, "sealed and active") &&
              mentions(one.out + two.out, "sealed by another worker")),
             one.out + two.out);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(online)

BOOST_AUTO_TEST_CASE(stella_seed_keeps_loading_through_the_reindex_and_both_generations_verify) {
  stella::test::ScratchDatabase database("rx_online_seed");
  const auto stella = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--database", database.conninfo()});
    return stella::test::run_stella(args);
  };
  BOOST_TEST_REQUIRE(stella({"evidence", "init", "--schema-version", "2.0"}).exit_code == 0);
  BOOST_TEST_REQUIRE(stella({"evidence", "seed", "--tenants", "3", "--bundles", "8",
                             "--artifacts-per-bundle", "3", "--since", "2026-01-01"})
                         .exit_code == 0);
  std::atomic<bool> stop{false};
  std::atomic<int> rounds{0};
  std::string seed_error;
  std::thread seeding([&] {
    while (!stop) {
      const ProcessResult seeded =
          stella({"evidence", "seed", "--tenants", "3", "--bundles", "1", "--artifacts-per-bundle",
                  "3", "--seed", std::to_string(100 + rounds.load()), "--since", "2026-01-01"});
      if (seeded.exit_code != 0) {
        seed_error = seeded.err;
        return;
      }
      ++rounds;
    }
  });
  BackgroundStella reindex({"--database", database.conninfo(), "evidence", "reindex", "--algorithm",
                            "sha512", "--batch-size", "3"},
                           kSlowBatches);
  const ProcessResult result = reindex.wait();
  // A few more loads after the seal, on a store whose active generation is sha512 now.
  const int at_seal = rounds.load();
  while (rounds.load() < at_seal + 2 && seed_error.empty()) {
    std::this_thread::sleep_for(kPoll);
  }
  stop = true;
  seeding.join();
  BOOST_TEST_REQUIRE(seed_error.empty(), seed_error);
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  BOOST_TEST(mentions(result.out, "sealed and active"), result.out);
  BOOST_TEST(rounds.load() > 2);

  for (const char* generation : {"1", "2"}) {
    const ProcessResult verified = stella({"evidence", "verify-all", "--generation", generation});
    BOOST_TEST(verified.exit_code == 0, "generation " << generation << ": " << verified.out);
  }
  const auto connection = stella::host::PgConnection::connect(database.conninfo());
  BOOST_TEST(std::string(connection
                             ->exec("SELECT (SELECT count(*) FROM evidence.artifacts) = "
                                    "(SELECT count(*) FROM evidence.artifact_digests "
                                    "WHERE generation = 2)")
                             .get(0, 0)) == "t");
  const stella::host::PgResult transition =
      connection->exec("SELECT old_global_root, new_global_root FROM evidence.root_transitions");
  BOOST_TEST_REQUIRE(transition.rows() == 1);
  const ProcessResult continuity =
      stella({"evidence", "verify-continuity", "--old-root", std::string(transition.get(0, 0)),
              "--new-root", std::string(transition.get(0, 1))});
  BOOST_TEST(continuity.exit_code == 0, continuity.out);
}

BOOST_AUTO_TEST_CASE(evidence_keeps_arriving_while_reindex_runs_and_every_record_is_covered) {
  GenerationStore store("rx_online");
  store.ingest(medium_store());
  std::atomic<bool> stop{false};
  std::atomic<int> rounds{0};
  std::string ingest_error;
  std::thread ingest([&] {
    try {
      const auto connection = stella::host::PgConnection::connect(store.conninfo());
      while (!stop) {
        IngestOptions more;
        more.tenants = 4;  // a tenant the store did not have before arrives too
        more.bundles_per_tenant = 1;
        more.artifacts_per_bundle = 2;
        more.batch_label = "live" + std::to_string(rounds.load());
        more.created_from = "2026-03-01T00:00:00Z";
        // Half of the arrivals come from a service that writes only the active generation: the
        // reindex must cover those itself.
        more.generations =
            rounds % 2 == 0 ? IngestGenerations::every_live : IngestGenerations::active_only;
        GenerationStore::ingest_on(*connection, more);
        ++rounds;
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
      }
    } catch (const std::exception& e) {
      ingest_error = e.what();
    }
  });
  BackgroundStella reindex(reindex_args(store, {"--batch-size", "2", "--parallel", "2"}),
                           kSlowBatches);
  const ProcessResult result = reindex.wait();
  // Arrivals after the seal follow the store's contract (every live generation), so both
  // generations keep covering everything.
  stop = true;
  ingest.join();
  BOOST_TEST_REQUIRE(ingest_error.empty(), ingest_error);
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  BOOST_TEST(rounds.load() > 2);
  BOOST_TEST(mentions(result.out, "sealed and active"), result.out);

  // One more arrival after the seal, through the contract path.
  IngestOptions after;
  after.batch_label = "after";
  store.ingest(after);

  const auto old_generation = check_generation(store.connection(), 1);
  const auto new_generation = check_generation(store.connection(), 2);
  BOOST_TEST(old_generation.clean());
  BOOST_TEST(new_generation.clean());
  BOOST_TEST(new_generation.artifacts == old_generation.artifacts);
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifacts a WHERE NOT EXISTS (SELECT 1 "
                          "FROM evidence.artifact_digests d WHERE d.generation = 2 AND "
                          "d.bundle_id = a.bundle_id AND d.path = a.path)") == "0");
}

BOOST_AUTO_TEST_SUITE_END()
