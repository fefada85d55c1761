// The reindex's locking steps meet an ingest in the middle of its transaction, at the moments
// where a wrong lock order deadlocks: the ingest has read the digest generations and is about to
// write its artifacts, or has written bundles and artifacts and is about to write their digests.
// PostgreSQL ends a deadlock by failing one side, and that side may be the ingest: the "online"
// promise is that it never is. Each test stops the ingest there (a hook in the test's ingest),
// waits until the reindex waits for it, then lets it go on; afterwards the database's deadlock
// counter must still be zero.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "reindex/generation_digests_table.hpp"
#include "reindex/generation_store.hpp"
#include "reindex/reindex_test_support.hpp"
#include "support/background_stella.hpp"

namespace {

using stella::host::PgConnection;
using stella::test::BackgroundStella;
using stella::test::check_generation;
using stella::test::GenerationStore;
using stella::test::IngestOptions;
using stella::test::mentions;
using stella::test::ProcessResult;

constexpr auto kPoll = std::chrono::milliseconds(20);
constexpr auto kPatience = std::chrono::seconds(60);

/// Polls `done` on the calling thread; throws (instead of a Boost.Test assertion, which is not for
/// other threads) when it takes unreasonably long.
template <typename Condition>
void wait_for(Condition done, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("timed out waiting for " + what);
    }
    std::this_thread::sleep_for(kPoll);
  }
}

/// True when some other session waits for a lock on `table`. pg_locks is read live, so this works
/// inside the asking session's own open transaction.
bool someone_waits_for(PgConnection& connection, const std::string& table) {
  return connection
             .exec(
                 "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = to_regclass($1) "
                 "AND NOT granted AND pid <> pg_backend_pid())",
                 {table})
             .get(0, 0) == "t";
}

/// The deadlocks PostgreSQL detected in the store's database. Read once every other client session
/// has gone: a backend's counters reach the shared statistics when it exits, at the latest.
std::string deadlocks_detected(GenerationStore& store) {
  wait_for(
      [&] {
        return store.scalar(
                   "SELECT count(*) FROM pg_stat_activity "
                   "WHERE datname = current_database() AND backend_type = 'client backend' "
                   "AND pid <> pg_backend_pid()") == "0";
      },
      "the other sessions to end");
  store.connection().exec("SELECT pg_stat_clear_snapshot()");
  return store.scalar("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
}

/// Where an ingest is stopped: after reading the digest generations, before its artifacts; or
/// after its artifacts, before their digests.
enum class HoldPoint { before_artifacts, before_digests };

/// One bundle of two artifacts, newer than everything else, stopped at `point` until
/// `reindex_waits` holds.
IngestOptions arrival_held_until(std::function<bool(PgConnection&)> reindex_waits,
                                 std::atomic<bool>& holding,
                                 HoldPoint point = HoldPoint::before_digests) {
  IngestOptions arrival;
  arrival.tenants = 1;
  arrival.bundles_per_tenant = 1;
  arrival.artifacts_per_bundle = 2;
  arrival.batch_label = "arriving";
  arrival.created_from = "2026-03-01T00:00:00Z";
  auto hold = [reindex_waits, &holding](PgConnection& connection) {
    holding = true;
    wait_for([&] { return reindex_waits(connection); }, "the reindex to wait for the ingest");
  };
  if (point == HoldPoint::before_artifacts) {
    arrival.before_first_artifact = hold;
  } else {
    arrival.before_first_digest = hold;
  }
  return arrival;
}

/// Generation 2 left building (older records not covered yet), its keys built as a run that
/// stopped just before the attach leaves them; then the attach, beside an ingest stopped at
/// `point`. The attach waits for the ingest at the first table it locks,
/// evidence.digest_generations, which the ingest read before its artifacts, and holds nothing the
/// ingest needs meanwhile: neither may fail, and PostgreSQL must have seen no deadlock.
void attach_beside_an_ingest_held(const std::string& database, HoldPoint point) {
  GenerationStore store(database);
  const ProcessResult partial = store.reindex_newer_records_only();
  BOOST_TEST_REQUIRE(partial.exit_code == 0, partial.err);
  auto attacher = PgConnection::connect(store.conninfo());
  stella::host::build_generation_keys(*attacher, 2);
  BOOST_TEST_REQUIRE(store.scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = "
                                  "'evidence.artifact_digests_g2'::regclass AND contype = 'f' "
                                  "AND convalidated") == "2");

  std::atomic<bool> holding{false};
  std::string ingest_error;
  std::thread ingest([&] {
    try {
      const auto connection = PgConnection::connect(store.conninfo());
      GenerationStore::ingest_on(
          *connection,
          arrival_held_until(
              [](PgConnection& c) { return someone_waits_for(c, "evidence.digest_generations"); },
              holding, point));
    } catch (const std::exception& e) {
      ingest_error = e.what();
    }
  });
  std::string attach_error;
  try {
    wait_for([&] { return holding.load(); }, "the ingest to stop where it is held");
    stella::host::attach_generation_digests(*attacher, 2);
  } catch (const std::exception& e) {
    attach_error = e.what();
  }
  ingest.join();
  attacher.reset();

  BOOST_TEST(attach_error.empty(), attach_error);
  BOOST_TEST(ingest_error.empty(), ingest_error);
  BOOST_TEST(deadlocks_detected(store) == "0");
  BOOST_TEST(store.scalar("SELECT relispartition FROM pg_class "
                          "WHERE oid = 'evidence.artifact_digests_g2'::regclass") == "t");
  // The arrival's generation-2 digests went through the default partition and were moved into
  // generation 2's own partition before it was attached.
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests_g2 "
                          "WHERE bundle_id LIKE '%-arriving-%'") == "2");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests_default "
                          "WHERE generation = 2") == "0");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lock_order)

BOOST_AUTO_TEST_CASE(two_workers_attaching_at_once_attach_once_and_neither_fails) {
  // Two workers of one run that finish together both find the generation's table unattached;
  // the second waits for the first's locks and must then find it attached, not attach it again
  // ("is already a partition").
  GenerationStore store("rx_lock_two_attach");
  const ProcessResult partial = store.reindex_newer_records_only();
  BOOST_TEST_REQUIRE(partial.exit_code == 0, partial.err);
  auto first = PgConnection::connect(store.conninfo());
  stella::host::build_generation_keys(*first, 2);
  first->exec("BEGIN");
  first->exec("LOCK TABLE evidence.digest_generations IN ACCESS EXCLUSIVE MODE");
  first->exec(
      "ALTER TABLE evidence.artifact_digests ATTACH PARTITION evidence.artifact_digests_g2 "
      "FOR VALUES IN (2)");
  std::string second_error;
  std::thread second([&] {
    try {
      const auto connection = PgConnection::connect(store.conninfo());
      stella::host::attach_generation_digests(*connection, 2);
    } catch (const std::exception& e) {
      second_error = e.what();
    }
  });
  std::string wait_error;
  try {
    wait_for(
        [&] {
          for (const char* table :
               {"evidence.artifact_digests_g2", "evidence.artifact_digests_default",
                "evidence.artifact_digests", "evidence.digest_generations"}) {
            if (someone_waits_for(store.connection(), table)) {
              return true;
            }
          }
          return false;
        },
        "the second worker to wait for the first one's locks");
  } catch (const std::exception& e) {
    wait_error = e.what();
  }
  first->exec("COMMIT");
  second.join();
  BOOST_TEST(wait_error.empty(), wait_error);
  BOOST_TEST(second_error.empty(), second_error);
  BOOST_TEST(store.scalar("SELECT relispartition FROM pg_class "
                          "WHERE oid = 'evidence.artifact_digests_g2'::regclass") == "t");
}

BOOST_AUTO_TEST_CASE(the_attach_waits_for_an_ingest_between_its_artifacts_and_its_digests) {
  attach_beside_an_ingest_held("rx_lock_attach", HoldPoint::before_digests);
}

BOOST_AUTO_TEST_CASE(
    the_attach_waits_for_an_ingest_that_read_the_generations_before_its_artifacts) {
  // Attaching adopts the partition's foreign keys, which takes PostgreSQL an exclusive lock on the
  // tables they reference: evidence.digest_generations too, which every load reads first (stella
  // seed and import check the load generation before writing anything). Locked after
  // evidence.artifacts, as it once was, this was a deadlock, seen as a failing `stella evidence
  // seed` beside a reindex.
  attach_beside_an_ingest_held("rx_lock_attach_generations", HoldPoint::before_artifacts);
}

BOOST_AUTO_TEST_CASE(the_seal_waits_for_an_ingest_between_its_artifacts_and_its_digests) {
  // Unpartitioned, the attach has nothing to do, so the seal is the first step of the run that
  // locks evidence.bundles: it meets the ingest, which is let go once the seal waits for it.
  GenerationStore store("rx_lock_seal");
  IngestOptions existing;
  existing.tenants = 3;
  existing.bundles_per_tenant = 8;
  existing.artifacts_per_bundle = 3;
  store.ingest(existing);
  store.unpartition_digest_table();

  BackgroundStella reindex({"--database", store.conninfo(), "evidence", "reindex", "--algorithm",
                            "sha512", "--batch-size", "2"},
                           {{"STELLA_TEST_REINDEX_BATCH_DELAY_MS", "150"}});
  std::atomic<bool> holding{false};
  std::string ingest_error;
  std::thread ingest([&] {
    try {
      const auto connection = PgConnection::connect(store.conninfo());
      // Started while the batches run, so that it writes the building generation's digests too.
      wait_for(
          [&] {
            return connection
                       ->exec(
                           "SELECT EXISTS (SELECT 1 FROM evidence.digest_generations "
                           "WHERE state = 'building')")
                       .get(0, 0) == "t";
          },
          "generation 2 to be created");
      GenerationStore::ingest_on(
          *connection,
          arrival_held_until(
              [](PgConnection& c) { return someone_waits_for(c, "evidence.bundles"); }, holding));
    } catch (const std::exception& e) {
      ingest_error = e.what();
    }
  });
  const ProcessResult result = reindex.wait();
  ingest.join();

  BOOST_TEST(ingest_error.empty(), ingest_error);
  BOOST_TEST(holding.load());
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  BOOST_TEST(mentions(result.out, "sealed and active"), result.out);
  BOOST_TEST(deadlocks_detected(store) == "0");
  // The arrival is in the sealed generation, with the digests and root it wrote itself.
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests "
                          "WHERE generation = 2 AND bundle_id LIKE '%-arriving-%'") == "2");
  BOOST_TEST(check_generation(store.connection(), 2).clean());
}

BOOST_AUTO_TEST_SUITE_END()
