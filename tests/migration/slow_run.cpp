#include "migration/slow_run.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

namespace stella::test {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);
/// Only guards against a hang; the store takes several seconds at one row per batch.
constexpr auto kPollLimit = std::chrono::seconds(120);

}  // namespace

StoreSize slow_store() {
  return StoreSize{"2", "40", "8"};
}

std::int64_t committed_batches(MigrationStore& store) {
  // The unfinished run's, not the latest run's: until a background rollback has recorded its run,
  // the latest is the completed migration it undoes, whose batches must not count.
  return std::stoll(
      store.scalar("SELECT coalesce(max(c.batches), 0) FROM stella.migration_checkpoints c "
                   "WHERE c.run_id = (SELECT max(run_id) FROM stella.migration_runs "
                   "WHERE status IN ('running', 'rolling_back', 'rollback_failed'))"));
}

std::vector<std::string> background_arguments(MigrationStore& store,
                                              std::vector<std::string> globals,
                                              const std::vector<std::string>& verb) {
  std::vector<std::string> args = {"--database", store.conninfo()};
  args.insert(args.end(), globals.begin(), globals.end());
  args.insert(args.end(), verb.begin(), verb.end());
  return args;
}

std::vector<std::string> slow_migration_arguments(MigrationStore& store,
                                                  std::vector<std::string> globals) {
  return background_arguments(store, std::move(globals), migrate_1_0_to_2_0({"--batch-size", "1"}));
}

void wait_for_batches(MigrationStore& store, BackgroundStella& run, std::int64_t batches) {
  const auto deadline = std::chrono::steady_clock::now() + kPollLimit;
  while (committed_batches(store) < batches) {
    BOOST_REQUIRE_MESSAGE(run.running(), "the background run ended before it committed "
                                             << batches << " batches:\n"
                                             << run.err());
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                          "no progress from the background run");
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace stella::test
