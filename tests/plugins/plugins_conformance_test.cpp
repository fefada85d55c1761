// `stella plugins test PATH` through the real binary, real plugin libraries and real throwaway
// clusters: every product plugin conforms; each deliberately broken fixture fails exactly its own
// named checks and passes the others; a plugin that does not load fails "plugin-loads"; bad usage
// is exit 2; nothing is left behind in the temporary directory (unless --keep-home).
#define BOOST_TEST_MODULE plugins_conformance
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "plugin_test_support.hpp"
#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"

namespace fs = std::filesystem;
using namespace stella::test;

namespace {

constexpr int kExitCheckFailed = 1;
constexpr int kExitUsage = 2;
constexpr const char* kReportSchema = "plugin-conformance-report.schema.json";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

#define CHECK_CONTAINS(text, part) \
  BOOST_CHECK_MESSAGE(contains(text, part), "expected \"" << (part) << "\" in: " << (text))

/// A private TMPDIR for one run, so that what the run leaves behind can be seen.
struct TestRun {
  ScratchDirectory tmp{"stella-conformance-tmp"};
  ProcessResult result;
  rapidjson::Document report;

  explicit TestRun(const fs::path& plugin, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"plugins", "test", plugin.string(), "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    // The server's account must pass through the temporary directory to reach the cluster.
    fs::permissions(tmp.path(),
                    fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    result = run_stella(args, {{"TMPDIR", tmp.path().string()}});
    BOOST_TEST_MESSAGE("stella plugins test " << plugin.string() << ": exit " << result.exit_code);
    report.Parse(result.out.c_str());
    BOOST_REQUIRE_MESSAGE(
        !report.HasParseError() && report.IsObject(),
        "not a JSON report (exit " << result.exit_code << "): " << result.out << result.err);
    const auto violations = stella::host::schema_violations(report, kReportSchema);
    BOOST_CHECK_MESSAGE(violations.empty(), "the report does not match "
                                                << kReportSchema << ": "
                                                << (violations.empty() ? "" : violations[0]));
  }

  std::set<std::string> checks_with(const std::string& status) const {
    std::set<std::string> names;
    for (const auto& check : report["checks"].GetArray()) {
      if (check["status"].GetString() == status) {
        names.insert(check["name"].GetString());
      }
    }
    return names;
  }

  std::string details_of(const std::string& name) const {
    std::string text;
    for (const auto& check : report["checks"].GetArray()) {
      if (check["name"].GetString() == name) {
        text += std::string(check["summary"].GetString()) + " | " + check["found"].GetString();
        for (const auto& detail : check["details"].GetArray()) {
          text += std::string(" | ") + detail.GetString();
        }
      }
    }
    return text;
  }

  /// Everything the run wrote into its TMPDIR that is still there.
  std::vector<std::string> leftovers() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(tmp.path())) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }
};

std::string joined(const std::set<std::string>& names) {
  std::string text;
  for (const auto& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

fs::path product_plugin(const std::string& id) {
  return fs::path(required_env("STELLA_PLUGIN_BUILD_DIR")) / id;
}

fs::path conformance_fixture(const std::string& id) {
  return fs::path(required_env("STELLA_TEST_PLUGIN_DIR")) / "conformance" / id;
}

/// The fixture fails exactly `expected`, passes every other check it ran, and cleans up.
void expect_fails_exactly(const std::string& id, const std::set<std::string>& expected) {
  TestRun run(conformance_fixture(id));
  BOOST_CHECK_EQUAL(run.result.exit_code, kExitCheckFailed);
  BOOST_CHECK(!run.report["passed"].GetBool());
  const std::set<std::string> failed = run.checks_with("fail");
  BOOST_CHECK_MESSAGE(failed == expected, id << " failed {" << joined(failed) << "}, expected {"
                                             << joined(expected) << "}: " << run.result.out);
  BOOST_CHECK_MESSAGE(run.checks_with("skip").empty(),
                      id << " skipped {" << joined(run.checks_with("skip")) << "}");
  BOOST_CHECK_MESSAGE(run.leftovers().empty(), id << " left files in TMPDIR");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(conformance)

BOOST_AUTO_TEST_CASE(every_product_plugin_conforms) {
  const std::vector<std::string> products = {
      "hash-sha256",           "hash-sha384",       "hash-sha512",         "hash-sha3-256",
      "hash-blake2b-512",      "hash-sm3",          "importer-bundle-dir", "importer-portable",
      "importer-object-store", "importer-attestor", "schema-1.0-to-1.1",   "schema-1.1-to-2.0"};
  for (const std::string& id : products) {
    BOOST_TEST_CONTEXT(id) {
      TestRun run(product_plugin(id));
      BOOST_CHECK_EQUAL(run.result.exit_code, 0);
      BOOST_CHECK_MESSAGE(run.report["passed"].GetBool(), id << " failed {"
                                                             << joined(run.checks_with("fail"))
                                                             << "}: " << run.result.out);
      BOOST_CHECK_EQUAL(run.report["plugin"]["id"].GetString(), id);
      BOOST_CHECK(run.checks_with("pass").count("plugin-loads") == 1);
      BOOST_CHECK_MESSAGE(run.leftovers().empty(), id << " left files in TMPDIR");
      if (id.rfind("importer-", 0) == 0) {
        // The corpus's memory bound was measured, not skipped for want of a resettable peak.
        CHECK_CONTAINS(run.details_of("refuses-bad-input"),
                       "none raising peak memory by more than 128 MiB");
      }
      if (id == "importer-attestor") {
        // The host writes no attestor export: said, not silently passed.
        BOOST_CHECK(run.checks_with("skip") == std::set<std::string>{"reads-valid-source"});
      } else {
        BOOST_CHECK_MESSAGE(run.checks_with("skip").empty(),
                            id << " skipped {" << joined(run.checks_with("skip")) << "}");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_step_whose_plan_writes_fails_the_dry_run_check) {
  expect_fails_exactly("conformance-plan-writes", {"dry-run-changes-nothing"});
}

BOOST_AUTO_TEST_CASE(a_step_whose_down_loses_a_row_fails_the_rows_checks) {
  TestRun run(conformance_fixture("conformance-down-loses-row"));
  BOOST_CHECK_EQUAL(run.result.exit_code, kExitCheckFailed);
  const std::set<std::string> failed = run.checks_with("fail");
  BOOST_CHECK_MESSAGE((failed == std::set<std::string>{"down-restores-rows", "second-round-trip"}),
                      "failed {" << joined(failed) << "}: " << run.result.out);
  BOOST_CHECK(run.checks_with("pass").count("down-restores-roots") == 1);
  CHECK_CONTAINS(run.details_of("down-restores-rows"),
                 "table evidence.artifacts: 36 rows before, 35 after");
}

BOOST_AUTO_TEST_CASE(a_salted_digest_fails_the_vector_checks) {
  TestRun run(conformance_fixture("conformance-salted-digest"));
  BOOST_CHECK_EQUAL(run.result.exit_code, kExitCheckFailed);
  const std::set<std::string> failed = run.checks_with("fail");
  BOOST_CHECK_MESSAGE((failed == std::set<std::string>{"published-vectors", "openssl-agreement",
                                                       "rfc9162-leaf-and-node"}),
                      "failed {" << joined(failed) << "}: " << run.result.out);
  CHECK_CONTAINS(run.details_of("published-vectors"),
                 "abc (FIPS 180-4 / FIPS 202 examples): published "
                 "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf");
}

BOOST_AUTO_TEST_CASE(a_reindexer_that_throws_a_std_exception_fails_the_checks_that_meet_it) {
  // Its exception is the plugin's defect, named in each check it reaches, not the end of the test
  // as a host error: the checks on short inputs still pass and the report is written.
  TestRun run(conformance_fixture("conformance-throws-std-exception"));
  BOOST_CHECK_EQUAL(run.result.exit_code, kExitCheckFailed);
  const std::set<std::string> failed = run.checks_with("fail");
  for (const char* check :
       {"published-vectors", "openssl-agreement", "deterministic-across-chunks-and-threads",
        "deterministic-across-batches-and-threads"}) {
    BOOST_CHECK_MESSAGE(failed.count(check) == 1,
                        check << " did not fail: {" << joined(failed) << "}: " << run.result.out);
  }
  BOOST_CHECK(run.checks_with("pass").count("digest-size") == 1);
  CHECK_CONTAINS(run.details_of("openssl-agreement"), "update exploded");
  CHECK_CONTAINS(run.details_of("openssl-agreement"), "not a stella::sdk::Error");
  // A real reindex meets it through the host's hasher, which names the plugin's defect too.
  CHECK_CONTAINS(run.details_of("deterministic-across-batches-and-threads"),
                 "the reindexer plugin for 'sha3-224' threw an exception that is not a "
                 "stella::sdk::Error: update exploded");
  BOOST_CHECK(!contains(run.result.err, "internal error"));
  BOOST_CHECK_MESSAGE(run.leftovers().empty(), "left files in TMPDIR");
}

BOOST_AUTO_TEST_CASE(a_thread_dependent_digest_fails_the_determinism_checks) {
  expect_fails_exactly(
      "conformance-thread-dependent-digest",
      {"deterministic-across-chunks-and-threads", "deterministic-across-batches-and-threads"});
}

BOOST_AUTO_TEST_CASE(an_importer_that_follows_symlinks_fails_the_bad_input_check) {
  TestRun run(conformance_fixture("conformance-follows-symlinks"));
  BOOST_CHECK_EQUAL(run.result.exit_code, kExitCheckFailed);
  BOOST_CHECK(run.checks_with("fail") == std::set<std::string>{"refuses-bad-input"});
  BOOST_CHECK(run.checks_with("pass").count("reads-valid-source") == 1);
  const std::string details = run.details_of("refuses-bad-input");
  CHECK_CONTAINS(details, "dir/symbolic-link (artifact '");
  CHECK_CONTAINS(details, "read() returned normally");
  // It opened the FIFO and read it: the host's writer gave it end-of-file instead of a hang.
  CHECK_CONTAINS(details, "dir/fifo ('tenants/pipe' is a FIFO): read() returned normally");
  // What it still refuses (archives, '..' in the checksum list) is not listed.
  BOOST_CHECK(!contains(details, "tar.gz/symbolic-link"));
  BOOST_CHECK(!contains(details, "dir/dot-dot-path"));
}

BOOST_AUTO_TEST_CASE(an_importer_that_sizes_buffers_by_tar_headers_fails_the_bad_input_check) {
  // It refuses every corpus source, as the product importer it wraps does; what gives it away is
  // the gigabyte it takes for the archive whose header declares one.
  TestRun run(conformance_fixture("conformance-trusts-declared-sizes"));
  BOOST_CHECK_EQUAL(run.result.exit_code, kExitCheckFailed);
  BOOST_CHECK(run.checks_with("fail") == std::set<std::string>{"refuses-bad-input"});
  BOOST_CHECK(run.checks_with("pass").count("reads-valid-source") == 1);
  const std::string details = run.details_of("refuses-bad-input");
  CHECK_CONTAINS(details, "tar.gz/declared-size-lie (entry 'tenants/");
  CHECK_CONTAINS(details, "declares 1024 MiB (the artifact limit) and the archive ends");
  CHECK_CONTAINS(details, "peak memory rose by");
  CHECK_CONTAINS(details, "not the sizes a source declares");
  for (const auto& check : run.report["checks"].GetArray()) {
    if (check["name"].GetString() == std::string("refuses-bad-input")) {
      BOOST_CHECK_EQUAL(check["details"].Size(), 1u);
    }
  }
  BOOST_CHECK(run.leftovers().empty());
}

BOOST_AUTO_TEST_CASE(an_importer_that_refuses_everything_fails_the_valid_source_check) {
  expect_fails_exactly("conformance-refuses-everything", {"reads-valid-source"});
}

BOOST_AUTO_TEST_CASE(a_plugin_that_does_not_load_fails_plugin_loads) {
  TestRun run(fixture_case("wrong-abi") / "fixture-wrong-abi");
  BOOST_CHECK_EQUAL(run.result.exit_code, kExitCheckFailed);
  BOOST_CHECK(run.checks_with("fail") == std::set<std::string>{"plugin-loads"});
  CHECK_CONTAINS(run.details_of("plugin-loads"), "ABI");
  BOOST_CHECK(run.leftovers().empty());
}

BOOST_AUTO_TEST_CASE(text_output_has_one_line_per_check_and_a_summary) {
  const ProcessResult result = run_stella(
      {"plugins", "test",
       (conformance_fixture("conformance-refuses-everything") / "manifest.json").string()});
  BOOST_CHECK_EQUAL(result.exit_code, kExitCheckFailed);
  CHECK_CONTAINS(result.out, "PASS  plugin-loads");
  CHECK_CONTAINS(result.out, "FAIL  reads-valid-source");
  CHECK_CONTAINS(result.out, "      expected: a valid source is read");
  CHECK_CONTAINS(result.out, "PASS  refuses-bad-input");
  CHECK_CONTAINS(result.out, "2 passed, 1 failed, 0 skipped: the plugin does NOT conform");
  CHECK_CONTAINS(result.err, "stella plugins test: feeding the bad-input corpus");
}

BOOST_AUTO_TEST_CASE(progress_is_json_lines_with_progress_format_json) {
  const ProcessResult result =
      run_stella({"plugins", "test", conformance_fixture("conformance-refuses-everything").string(),
                  "--progress-format", "json"});
  BOOST_CHECK_EQUAL(result.exit_code, kExitCheckFailed);
  std::istringstream lines(result.err);
  int events = 0;
  for (std::string line; std::getline(lines, line); ++events) {
    rapidjson::Document event;
    event.Parse(line.c_str());
    BOOST_CHECK_MESSAGE(!event.HasParseError() && event.IsObject() && event.HasMember("event") &&
                            event["event"] == "progress",
                        "not a progress event: " << line);
  }
  BOOST_CHECK_GT(events, 3);
}

BOOST_AUTO_TEST_CASE(a_plugin_that_hangs_fails_makes_progress_and_leaves_no_cluster_running) {
  // plan() never returns: after 15 s without progress the test reports what it has, with the hang
  // as a failed check, stops the throwaway cluster and ends, instead of waiting for ever.
  TestRun run(conformance_fixture("conformance-hangs-in-plan"), {"--check-timeout", "15"});
  BOOST_CHECK_EQUAL(run.result.exit_code, kExitCheckFailed);
  BOOST_CHECK(run.checks_with("fail") == std::set<std::string>{"makes-progress"});
  BOOST_CHECK(run.checks_with("pass").count("plugin-loads") == 1);
  CHECK_CONTAINS(run.details_of("makes-progress"), "the plugin seems to hang");
  CHECK_CONTAINS(run.details_of("makes-progress"), "no progress for 15 s");
  CHECK_CONTAINS(run.result.err, "the test stops here");
  // The cluster was stopped and its directory removed.
  BOOST_CHECK_MESSAGE(run.leftovers().empty(), "left behind: " << run.leftovers().size());
  for (const auto& process : fs::directory_iterator("/proc")) {
    std::ifstream cmdline(process.path() / "cmdline");
    const std::string text((std::istreambuf_iterator<char>(cmdline)),
                           std::istreambuf_iterator<char>());
    BOOST_CHECK_MESSAGE(!contains(text, run.tmp.path().string()),
                        "still running in the test's TMPDIR: " << process.path());
  }
}

BOOST_AUTO_TEST_CASE(keep_home_keeps_the_stopped_throwaway_store) {
  TestRun run(conformance_fixture("conformance-refuses-everything"), {"--keep-home"});
  BOOST_REQUIRE(run.report["keptHome"].IsString());
  const fs::path home = run.report["keptHome"].GetString();
  BOOST_CHECK(fs::exists(home / "pg"));
  BOOST_CHECK(!fs::exists(home / "pg" / "data" / "postmaster.pid"));
  BOOST_CHECK_EQUAL(run.leftovers().size(), 1U);
}

BOOST_AUTO_TEST_CASE(a_step_without_the_installed_steps_around_it_names_the_missing_edge) {
  // A copy of stella in a prefix of its own has no installed plugins (its install directory is
  // <prefix>/lib/stella/plugins), so nothing leads from 1.0 to the step's 1.1.
  ScratchDirectory prefix;
  fs::create_directories(prefix.path() / "bin");
  fs::copy_file(required_env("STELLA_BINARY"), prefix.path() / "bin" / "stella");
  const ProcessResult result =
      run_shell("\"" + (prefix.path() / "bin" / "stella").string() + "\" plugins test '" +
                product_plugin("schema-1.1-to-2.0").string() + "'; echo \"exit $?\"");
  CHECK_CONTAINS(result.out, "FAIL  migration-path");
  CHECK_CONTAINS(result.out, "found:    no plugin provides a path 1.0 \u2192 1.1");
  CHECK_CONTAINS(result.out, "SKIP  up");
  CHECK_CONTAINS(result.out, "exit 1");
}

BOOST_AUTO_TEST_CASE(an_interrupted_run_stops_and_removes_its_cluster) {
  ScratchDirectory tmp("stella-conformance-tmp");
  ScratchDirectory work;
  fs::permissions(tmp.path(),
                  fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  // SIGINT a second and a half in: past the in-process hashing, during the cluster's work.
  const ProcessResult result =
      run_shell("\"$STELLA_BINARY\" plugins test '" + product_plugin("hash-sha512").string() +
                    "' >out.txt 2>err.txt & pid=$!; sleep 1.5; kill -INT $pid; wait $pid; echo $?; "
                    "cat err.txt",
                {{"TMPDIR", tmp.path().string()}}, work.path().string());
  CHECK_CONTAINS(result.out, "3\n");
  CHECK_CONTAINS(result.out, "the throwaway cluster is stopped and removed");
  BOOST_CHECK(fs::is_empty(tmp.path()));
}

BOOST_AUTO_TEST_CASE(bad_usage_is_exit_2_with_what_to_do) {
  ScratchDirectory scratch;
  const ProcessResult none = run_stella({"plugins", "test"});
  BOOST_CHECK_EQUAL(none.exit_code, kExitUsage);
  CHECK_CONTAINS(none.err, "'stella plugins test' needs the PATH of a plugin");
  const ProcessResult missing = run_stella({"plugins", "test", (scratch.path() / "nope").string()});
  BOOST_CHECK_EQUAL(missing.exit_code, kExitUsage);
  CHECK_CONTAINS(missing.err, "does not exist; expected a plugin directory");
  const ProcessResult not_plugin = run_stella({"plugins", "test", scratch.path().string()});
  BOOST_CHECK_EQUAL(not_plugin.exit_code, kExitUsage);
  CHECK_CONTAINS(not_plugin.err, "is a directory without a manifest.json, so it is not a plugin");
  const ProcessResult bad_format =
      run_stella({"plugins", "test", product_plugin("hash-sha256").string(), "--format", "html"});
  BOOST_CHECK_EQUAL(bad_format.exit_code, kExitUsage);
  const ProcessResult negative_timeout = run_stella(
      {"plugins", "test", product_plugin("hash-sha256").string(), "--check-timeout", "-1"});
  BOOST_CHECK_EQUAL(negative_timeout.exit_code, kExitUsage);
  CHECK_CONTAINS(negative_timeout.err, "--check-timeout is -1; it is a number of seconds");
  const ProcessResult help = run_stella({"plugins", "test", "--help"});
  BOOST_CHECK_EQUAL(help.exit_code, 0);
  CHECK_CONTAINS(help.out, "down-restores-rows");
}

BOOST_AUTO_TEST_SUITE_END()
