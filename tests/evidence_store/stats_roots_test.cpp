// `stats` and `roots-export` print JSON by default, valid against their schemas, with counts that
// match the store; roots-export --tenant filters and --output writes a file.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "evidence_store/evidence_store_fixture.hpp"
#include "support/background_stella.hpp"

using stella::test::EvidenceStore;
using stella::test::mentions;
using stella::test::valid_json;

BOOST_AUTO_TEST_SUITE(evidence_stats_and_roots)

BOOST_AUTO_TEST_CASE(stats_detailed_and_by_type_match_the_store) {
  EvidenceStore store("stats");
  store.init_and_seed();
  const auto plain = store.stella({"evidence", "stats"});
  BOOST_REQUIRE_MESSAGE(plain.exit_code == 0, plain.err);
  const auto totals = valid_json(plain.out, "stats.schema.json");
  BOOST_TEST(totals["schemaVersion"].GetString() == std::string("1.0"));
  BOOST_TEST(totals["tenants"].GetInt64() == 2);
  BOOST_TEST(totals["bundles"].GetInt64() == 10);
  BOOST_TEST(totals["artifacts"].GetInt64() == 40);
  BOOST_TEST(totals["attestations"].GetInt64() == 10);
  BOOST_TEST(std::to_string(totals["bytes"].GetInt64()) ==
             store.scalar("SELECT sum(octet_length(content)) FROM evidence.artifacts"));
  BOOST_TEST(!totals.HasMember("perTenant"));

  const auto detailed = store.stella({"evidence", "stats", "--detailed", "--by-type"});
  BOOST_REQUIRE_MESSAGE(detailed.exit_code == 0, detailed.err);
  const auto document = valid_json(detailed.out, "stats.schema.json");
  const auto& tenants = document["perTenant"];
  BOOST_REQUIRE(tenants.Size() == 2U);
  BOOST_TEST(tenants[0]["tenant"].GetString() == std::string("acme"));
  BOOST_TEST(tenants[0]["bundles"].GetInt64() == 5);
  BOOST_TEST(tenants[0]["artifacts"].GetInt64() == 20);
  BOOST_TEST(tenants[0]["root"].GetString() ==
             store.scalar("SELECT root FROM evidence.tenant_roots WHERE tenant_id = 'acme'"));
  BOOST_TEST(tenants[0]["generations"][0]["algorithm"].GetString() == std::string("sha256"));
  std::int64_t kind_bundles = 0;
  for (const auto& kind : document["byType"]["kinds"].GetArray()) {
    kind_bundles += kind["bundles"].GetInt64();
  }
  BOOST_TEST(kind_bundles == 10);
  BOOST_TEST(document["byType"]["mediaTypes"].Size() == 4U);
  BOOST_TEST(document["byType"]["perTenant"].Size() == 2U);

  const auto text = store.stella({"evidence", "stats", "--detailed", "--format", "text"});
  BOOST_TEST(text.exit_code == 0);
  BOOST_TEST(mentions(text.out, "bundles       10"));
}

BOOST_AUTO_TEST_CASE(roots_export_filters_tenants_and_writes_files_atomically) {
  EvidenceStore store("roots");
  store.init_and_seed();
  const auto all = store.stella({"evidence", "roots-export"});
  BOOST_REQUIRE_MESSAGE(all.exit_code == 0, all.err);
  const auto document = valid_json(all.out, "roots-export.schema.json");
  BOOST_TEST(document["globalRoot"].GetString() ==
             store.scalar("SELECT root FROM evidence.store_root"));
  BOOST_TEST(document["tenants"].Size() == 2U);

  const auto one = store.stella({"evidence", "roots-export", "--tenant", "globex"});
  BOOST_REQUIRE_MESSAGE(one.exit_code == 0, one.err);
  const auto filtered = valid_json(one.out, "roots-export.schema.json");
  BOOST_REQUIRE(filtered["tenants"].Size() == 1U);
  BOOST_TEST(filtered["tenants"][0]["tenant"].GetString() == std::string("globex"));
  BOOST_TEST(filtered["globalRoot"].GetString() == std::string(document["globalRoot"].GetString()));

  const auto unknown = store.stella({"evidence", "roots-export", "--tenant", "nobody"});
  BOOST_TEST(unknown.exit_code == 2);
  BOOST_TEST(
      mentions(unknown.err, "no root for tenant 'nobody'; tenants with roots: acme, globex"));

  const auto directory = std::filesystem::temp_directory_path() /
                         ("stella-roots-" + store.scalar("SELECT current_database()"));
  std::filesystem::create_directories(directory);
  const auto file = directory / "roots.json";
  const auto written = store.stella({"evidence", "roots-export", "--output", file.string()});
  BOOST_TEST(written.exit_code == 0);
  BOOST_TEST(written.out.empty());
  std::ifstream in(file);
  std::stringstream content;
  content << in.rdbuf();
  valid_json(content.str(), "roots-export.schema.json");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(directory)) {
    ++files;
  }
  BOOST_TEST(files == 1U);  // no temporary file left behind
  std::filesystem::remove_all(directory);

  const auto text = store.stella({"evidence", "roots-export", "--format", "text"});
  BOOST_TEST(mentions(text.out, "global root sha256:"));
}

BOOST_AUTO_TEST_CASE(a_command_killed_while_it_waits_for_a_lock_leaves_no_session_behind) {
  // Its backend would otherwise keep waiting (and keep its place in the lock queue) until it next
  // wrote to the closed socket: the embedded server checks its clients every 2 seconds.
  EvidenceStore store("stats_killed_waiting");
  store.init_and_seed();
  store.sql().exec("BEGIN");
  store.sql().exec("LOCK TABLE evidence.bundles IN ACCESS EXCLUSIVE MODE");
  const std::string waiting =
      "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE NOT l.granted AND a.datname = current_database()";
  stella::test::BackgroundStella stats({"--database", store.conninfo(), "evidence", "stats"});
  for (int poll = 0; poll < 400 && store.scalar(waiting) == "0"; ++poll) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  BOOST_TEST_REQUIRE(store.scalar(waiting) == "1", "stats never waited for the lock");
  stats.kill_now();
  std::string left = "1";
  for (int poll = 0; poll < 200 && left != "0"; ++poll) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    left = store.scalar(waiting);
  }
  store.sql().exec("ROLLBACK");
  BOOST_TEST(left == "0", "the killed command's backend still waits for the lock");
}

BOOST_AUTO_TEST_SUITE_END()
