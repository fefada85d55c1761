// The runbook's (../shared/seeds/evidence-migration-guide.md) "Document Chain-of-Custody",
// "Evidence Reindex", "Chain-of-Custody Verification" and "Performance Issues" snippets, taken from
// the runbook file itself and run by /bin/sh as written, with the built `stella` first on PATH and
// STELLA_DATABASE naming a scratch store. The store is prepared the way an operator would: a
// schema 2.0 store seeded with evidence created since 2026-01-01 (so the snippets' --since covers
// every record), and the target algorithm set with `stella evidence config set hash-algorithm
// sha512` (the snippets name no algorithm).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "reindex/reindex_test_support.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace fs = std::filesystem;

namespace stella::test {
namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string runbook_text() {
  return read_text(fs::path(required_env("STELLA_SOURCE_DIR")) / ".." / "shared" / "seeds" /
                   "evidence-migration-guide.md");
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

constexpr const char* kCustody = "### 3. Document Chain-of-Custody";
constexpr const char* kReindex = "### Evidence Reindex (Algorithm Change)";
constexpr const char* kVerification = "## Chain-of-Custody Verification";
constexpr const char* kPerformance = "### Performance Issues";

/// A scratch directory removed afterwards.
struct WorkDirectory {
  WorkDirectory()
      : path(fs::temp_directory_path() / ("stella-reindex-runbook-" + std::to_string(::getpid()) +
                                          "-" + std::to_string(counter()++))) {
    fs::create_directories(path);
  }
  ~WorkDirectory() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  static int& counter() {
    static int value = 0;
    return value;
  }
  fs::path path;
};

/// A seeded schema 2.0 store with hash-algorithm set, ready for the runbook.
struct RunbookStore {
  explicit RunbookStore(const std::string& prefix) : database(prefix) {
    for (const std::vector<std::string>& step :
         {std::vector<std::string>{"evidence", "init", "--schema-version", "2.0"},
          std::vector<std::string>{"evidence", "seed", "--tenants", "3", "--bundles", "12",
                                   "--artifacts-per-bundle", "5", "--since", "2026-01-01"},
          std::vector<std::string>{"evidence", "config", "set", "hash-algorithm", "sha512"}}) {
      std::vector<std::string> args = {"--database", database.conninfo()};
      args.insert(args.end(), step.begin(), step.end());
      const ProcessResult result = run_stella(args);
      BOOST_TEST_REQUIRE(result.exit_code == 0, step[1] << ": " << result.err);
    }
  }

  std::map<std::string, std::string> environment() const {
    const std::string bin = fs::path(required_env("STELLA_BINARY")).parent_path();
    const char* path = std::getenv("PATH");
    return {{"PATH", bin + ":" + (path != nullptr ? path : "/usr/bin:/bin")},
            {"STELLA_DATABASE", database.conninfo()}};
  }

  ScratchDatabase database;
};

/// Runs `script` under `set -e` in `directory`; fails the test when it fails.
ProcessResult run_script(const std::string& script, const RunbookStore& store,
                         const fs::path& directory) {
  const ProcessResult result =
      run_shell("set -e\n" + script, store.environment(), directory.string());
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "the snippets exited " << result.exit_code
                                                                      << "\nscript:\n"
                                                                      << script << "\nstdout:\n"
                                                                      << result.out << "\nstderr:\n"
                                                                      << result.err);
  return result;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(runbook)

BOOST_AUTO_TEST_CASE(custody_capture_reindex_verification_and_performance_snippets_as_written) {
  RunbookStore store("rx_runbook");
  WorkDirectory work;
  // One shell, as an operator runs the sections in order: OLD_MERKLE_ROOT (captured by the
  // custody section) and NEW_MERKLE_ROOT (by the reindex section) carry over to the verification.
  const std::string script = snippet_under(kCustody) + snippet_under(kReindex) +
                             snippet_under(kVerification) + snippet_under(kPerformance);
  const ProcessResult result = run_script(script, store, work.path);

  const rapidjson::Document plan =
      valid_json(read_text(work.path / "reindex-plan.json"), "reindex-plan.schema.json");
  BOOST_TEST(plan["totalRecordsAffected"].GetInt64() == 180);
  BOOST_TEST(std::string(plan["newSchemaVersion"].GetString()) == "2.0");
  BOOST_TEST(plan["estimatedDuration"].HasMember("seconds"));

  const std::string custody = read_text(work.path / "custody-log.txt");
  BOOST_TEST(mentions(custody, "Pre-migration Merkle root: sha256:"), custody);
  BOOST_TEST(mentions(custody, "Post-migration Merkle root: sha512:"), custody);

  const std::string report = read_text(work.path / "continuity-report.html");
  BOOST_TEST(mentions(report, "<!DOCTYPE html>"));
  BOOST_TEST(!mentions(report, "FAIL"));
  BOOST_TEST(mentions(report, "PASS"));

  // "Performance Issues" runs after the store is already at sha512: it says so and exits 0, and
  // --progress shows the last run.
  BOOST_TEST(mentions(result.out, "store already at sha512 (generation 2); nothing to do"),
             result.out);
  BOOST_TEST(mentions(result.out, "reindex run 1: sealed"), result.out);
  BOOST_TEST(mentions(result.out, "180/180 artifacts"), result.out);
}

BOOST_AUTO_TEST_CASE(performance_snippet_on_a_fresh_store_reindexes_with_four_workers) {
  RunbookStore store("rx_runbook_perf");
  WorkDirectory work;
  const ProcessResult result = run_script(snippet_under(kPerformance), store, work.path);
  BOOST_TEST(mentions(result.out, "generation 2 (sha512) sealed and active"), result.out);
  BOOST_TEST(mentions(result.out, "reindex run 1: sealed"), result.out);
  BOOST_TEST(mentions(result.out, "batch size 500"), result.out);
  BOOST_TEST(mentions(result.out, "180/180 artifacts"), result.out);
}

BOOST_AUTO_TEST_CASE(both_generations_stay_readable_and_verify_after_the_reindex) {
  RunbookStore store("rx_generations");
  const auto stella = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--database", store.database.conninfo()});
    return run_stella(args);
  };
  const std::string old_root =
      valid_json(stella({"evidence", "roots-export", "--format", "json"}).out,
                 "roots-export.schema.json")["globalRoot"]
          .GetString();
  BOOST_TEST_REQUIRE(stella({"evidence", "reindex"}).exit_code == 0);

  const rapidjson::Document active = valid_json(
      stella({"evidence", "roots-export", "--format", "json"}).out, "roots-export.schema.json");
  BOOST_TEST(std::string(active["algorithm"].GetString()) == "sha512");
  BOOST_TEST(active["generation"].GetInt() == 2);
  const std::string new_root = active["globalRoot"].GetString();
  BOOST_TEST(new_root.rfind("sha512:", 0) == 0);

  for (const auto& choice : {std::vector<std::string>{"--generation", "1"},
                             std::vector<std::string>{"--algorithm", "sha256"}}) {
    std::vector<std::string> args = {"evidence", "roots-export", "--format", "json"};
    args.insert(args.end(), choice.begin(), choice.end());
    const rapidjson::Document earlier = valid_json(stella(args).out, "roots-export.schema.json");
    BOOST_TEST(std::string(earlier["globalRoot"].GetString()) == old_root);
    BOOST_TEST(earlier["generation"].GetInt() == 1);
  }
  const ProcessResult unknown = stella({"evidence", "roots-export", "--algorithm", "sha384"});
  BOOST_TEST(unknown.exit_code == 2);
  BOOST_TEST(mentions(unknown.err, "1 (sha256), 2 (sha512, active)"), unknown.err);

  // verify-all passes for both generations: every digest, root and signature.
  for (const char* generation : {"1", "2"}) {
    const ProcessResult verified =
        stella({"evidence", "verify-all", "--generation", generation, "--format", "json"});
    BOOST_TEST(verified.exit_code == 0, "generation " << generation << ": " << verified.out);
  }
  BOOST_TEST(
      stella({"evidence", "verify-continuity", "--old-root", old_root, "--new-root", new_root})
          .exit_code == 0);

  // Evidence loaded after the seal gets digests and roots in both sealed generations.
  BOOST_TEST_REQUIRE(stella({"evidence", "seed", "--tenants", "4", "--bundles", "2", "--seed", "9",
                             "--since", "2026-06-01"})
                         .exit_code == 0);
  for (const char* generation : {"1", "2"}) {
    const ProcessResult verified =
        stella({"evidence", "verify-all", "--generation", generation, "--format", "json"});
    BOOST_TEST(verified.exit_code == 0,
               "after a seed, generation " << generation << ": " << verified.out);
  }
  const ProcessResult later = stella({"evidence", "verify-continuity", "--old-root", old_root,
                                      "--new-root", new_root, "--format", "json"});
  BOOST_TEST(later.exit_code == 0, later.out);
  const rapidjson::Document report = valid_json(later.out, "continuity-report.schema.json");
  BOOST_TEST(report["summary"]["bundlesOutsideTransition"].GetInt64() == 8);
  BOOST_TEST(report["summary"]["tenants"].GetInt64() == 3);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
