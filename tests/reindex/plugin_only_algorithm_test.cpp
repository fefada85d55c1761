// A store reindexed to an algorithm that only a reindexer plugin provides (the fixture plugin's
// "fixture-sha256", no built-in hasher of the host) stays a working store: every verb that hashes
// with the active generation's algorithm gets its hasher from that plugin, and a stella that cannot
// find the plugin says which algorithm and what to install instead of refusing it as unsupported.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>

#include "reindex/generation_store.hpp"
#include "reindex/reindex_test_support.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace {

namespace fs = std::filesystem;
using stella::test::GenerationStore;
using stella::test::mentions;
using stella::test::ProcessResult;

/// The fixture reindexer of tests/plugins/fixtures/good, unsigned like every test build.
std::vector<std::string> with_fixture_plugin(std::vector<std::string> args) {
  const char* build = std::getenv("STELLA_BUILD_DIR");
  BOOST_TEST_REQUIRE(build != nullptr);
  std::vector<std::string> all{"--plugin-dir", (fs::path(build) / "test-plugins" / "good").string(),
                               "--allow-unsigned"};
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plugin_only_algorithm)

BOOST_AUTO_TEST_CASE(a_store_at_an_algorithm_only_a_plugin_provides_is_verified_written_and_moved) {
  GenerationStore store("rx_plugin_alg");
  const auto seed = [&store](const std::string& number) {
    return store.stella(with_fixture_plugin({"evidence", "seed", "--tenants", "2", "--bundles", "3",
                                             "--artifacts-per-bundle", "3", "--seed", number}));
  };
  BOOST_TEST_REQUIRE(seed("1").exit_code == 0);
  const ProcessResult reindexed =
      store.stella(with_fixture_plugin({"evidence", "reindex", "--algorithm", "fixture-sha256"}));
  BOOST_TEST_REQUIRE(reindexed.exit_code == 0, reindexed.err);
  BOOST_TEST(store.scalar("SELECT algorithm FROM evidence.digest_generations WHERE active") ==
             "fixture-sha256");

  const ProcessResult verified = store.stella(with_fixture_plugin({"evidence", "verify-all"}));
  BOOST_TEST(verified.exit_code == 0, verified.out << verified.err);
  BOOST_TEST(mentions(verified.out, "verify-all: PASS"), verified.out);
  const ProcessResult deep =
      store.stella(with_fixture_plugin({"evidence", "integrity-check", "--deep"}));
  BOOST_TEST(deep.exit_code == 0, deep.out << deep.err);

  // New evidence gets the plugin's digests and roots too, and the store still verifies.
  const ProcessResult more = seed("2");
  BOOST_TEST_REQUIRE(more.exit_code == 0, more.err);
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests d JOIN "
                          "evidence.digest_generations g USING (generation) WHERE g.active") ==
             "36");
  BOOST_TEST(store.stella(with_fixture_plugin({"evidence", "verify-all"})).exit_code == 0);

  // Out and back in: the bundle carries fixture-sha256 digests and roots.
  const fs::path dir = fs::temp_directory_path() / "stella-rx-plugin-alg";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string archive = (dir / "evidence.tar.gz").string();
  const ProcessResult exported = store.stella(with_fixture_plugin(
      {"evidence", "export", "--all", "--include-proofs", "--portable", "--output", archive}));
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.err);
  const ProcessResult checked = store.stella(with_fixture_plugin(
      {"evidence", "verify-bundle", "--source-format", "portable-tar-gz", archive}));
  BOOST_TEST(checked.exit_code == 0, checked.out << checked.err);
  stella::test::ScratchDatabase target("rx_plugin_alg_target");
  const ProcessResult imported = stella::test::run_stella(with_fixture_plugin(
      {"--database", target.conninfo(), "evidence", "import", "--portable", archive}));
  BOOST_TEST(imported.exit_code == 0, imported.out << imported.err);
  const ProcessResult target_verified = stella::test::run_stella(
      with_fixture_plugin({"--database", target.conninfo(), "evidence", "verify-all"}));
  BOOST_TEST(target_verified.exit_code == 0, target_verified.out << target_verified.err);
  fs::remove_all(dir);

  // Without the plugin: the algorithm and the remedy are named, not "not supported".
  const ProcessResult without = store.stella({"evidence", "verify-all"});
  BOOST_TEST(without.exit_code == 3, without.out << without.err);
  BOOST_TEST(mentions(without.err, "fixture-sha256"), without.err);
  BOOST_TEST(!mentions(without.err, "is not supported"), without.err);

  // A reindex away from it that cannot hash the old generation is refused before it starts
  // anything: no generation left building to block the next reindex.
  const std::string generations = store.scalar(
      "SELECT string_agg(generation || ' ' || state, ', ' ORDER BY generation) FROM "
      "evidence.digest_generations");
  const ProcessResult away = store.stella({"evidence", "reindex", "--algorithm", "sha512"});
  BOOST_TEST(away.exit_code == 3, away.out << away.err);
  BOOST_TEST(mentions(away.err, "fixture-sha256"), away.err);
  BOOST_TEST(store.scalar("SELECT string_agg(generation || ' ' || state, ', ' ORDER BY "
                          "generation) FROM evidence.digest_generations") == generations);
  const ProcessResult with_plugin =
      store.stella(with_fixture_plugin({"evidence", "reindex", "--algorithm", "sha512"}));
  BOOST_TEST(with_plugin.exit_code == 0, with_plugin.out << with_plugin.err);
  BOOST_TEST(store.scalar("SELECT algorithm FROM evidence.digest_generations WHERE active") ==
             "sha512");
}

BOOST_AUTO_TEST_SUITE_END()
