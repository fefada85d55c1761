// The runbook's (../shared/seeds/evidence-migration-guide.md) "Schema Migration", "Immediate
// Rollback" and "Migration Stuck or Timeout" snippets, taken from the runbook file itself and run
// as written by /bin/sh, with the built `stella` first on PATH and STELLA_DATABASE naming a scratch
// store seeded at 1.0.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "migration/migration_fixture.hpp"
#include "support/background_stella.hpp"

namespace stella::test {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr auto kPollLimit = std::chrono::seconds(120);

std::string runbook_text() {
  const std::filesystem::path path = std::filesystem::path(required_env("STELLA_SOURCE_DIR")) /
                                     ".." / "shared" / "seeds" / "evidence-migration-guide.md";
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot read the runbook at " << path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The first ```bash block after the heading line `heading`, without its fences.
std::string snippet_under(const std::string& heading) {
  const std::string text = runbook_text();
  const std::size_t at = text.find("\n" + heading + "\n");
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "the runbook has no heading '" << heading << "'");
  const std::string fence = "```bash\n";
  const std::size_t start = text.find(fence, at);
  BOOST_REQUIRE(start != std::string::npos);
  const std::size_t end = text.find("\n```", start + fence.size());
  BOOST_REQUIRE(end != std::string::npos);
  return text.substr(start + fence.size(), end - start - fence.size() + 1);
}

/// The snippet exactly as the runbook has it; `set -e` in front makes any failing command fail the
/// whole snippet instead of only the last one counting.
ProcessResult run_snippet(const std::string& heading, const MigrationStore& store) {
  const std::string snippet = snippet_under(heading);
  const std::string bin = std::filesystem::path(required_env("STELLA_BINARY")).parent_path();
  const char* path = std::getenv("PATH");
  const ProcessResult result = run_shell(
      "set -e\n" + snippet, {{"PATH", bin + ":" + (path != nullptr ? path : "/usr/bin:/bin")},
                             {"STELLA_DATABASE", store.conninfo()}});
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "the runbook's \"" << heading << "\" snippet exited "
                                                                  << result.exit_code << "\n"
                                                                  << snippet << "\nstdout:\n"
                                                                  << result.out << "\nstderr:\n"
                                                                  << result.err);
  return result;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(runbook)

BOOST_AUTO_TEST_CASE(schema_migration_then_immediate_rollback_as_written) {
  MigrationStore store("mig_runbook");
  store.init_and_seed();
  const ExportedRoots before = store.roots();
  const std::string rows_before = store.evidence_rows_digest();

  const auto migration = run_snippet("### Schema Migration (Version Upgrade)", store);
  BOOST_TEST(mentions(migration.out, "Migration plan: schema 1.0 \u2192 2.0"));
  BOOST_TEST(mentions(migration.out, "verify-all: PASS"));
  BOOST_TEST(store.schema_version() == "2.0");
  BOOST_TEST(store.roots().global_root == before.global_root);

  const auto rollback = run_snippet("### Immediate Rollback (Within Migration Window)", store);
  BOOST_TEST(mentions(rollback.out, "Last run"));
  BOOST_TEST(mentions(rollback.out, "rolled back schema 2.0 \u2192 1.0"));
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.evidence_rows_digest() == rows_before);
  const ExportedRoots after = store.roots();
  BOOST_TEST(after.global_root == before.global_root);
  BOOST_TEST(after.tenants == before.tenants);
}

BOOST_AUTO_TEST_CASE(migration_stuck_snippet_resumes_a_killed_run) {
  MigrationStore store("mig_runbookstuck");
  store.init_and_seed(StoreSize{"2", "30", "8"});
  const ExportedRoots before = store.roots();
  std::vector<std::string> args = {"--database", store.conninfo(), "--quiet"};
  for (const auto& arg : migrate_1_0_to_2_0({"--batch-size", "1"})) {
    args.push_back(arg);
  }
  BackgroundStella run(args);
  const auto deadline = std::chrono::steady_clock::now() + kPollLimit;
  while (store.scalar("SELECT coalesce(max(batches), 0) FROM stella.migration_checkpoints") ==
             "0" ||
         store.scalar("SELECT max(batches) FROM stella.migration_checkpoints") == "1") {
    BOOST_REQUIRE_MESSAGE(run.running(), "the migration ended before it could be killed");
    BOOST_REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(kPollInterval);
  }
  run.kill_now();
  store.wait_for_migration_sessions_to_end();

  const auto stuck = run_snippet("### Migration Stuck or Timeout", store);
  BOOST_TEST(mentions(stuck.out, "migrated schema 1.0 \u2192 2.0"));
  BOOST_TEST(store.schema_version() == "2.0");
  BOOST_TEST(store.roots().global_root == before.global_root);
  store.expect(0, {"evidence", "verify-all"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
