// The conventions of the whole CLI, through the real binary: help on the top level, a group and a
// verb; "did you mean" for a mistyped group, verb or flag; the documented exit codes.
#define BOOST_TEST_MODULE cli_conventions
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "stella/host/cli/exit_codes.hpp"
#include "support/run_cli_process.hpp"

using stella::test::ProcessResult;
using stella::test::required_env;
using stella::test::run_stella;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

#define CHECK_CONTAINS(text, part) \
  BOOST_CHECK_MESSAGE(contains(text, part), "expected \"" << (part) << "\" in: " << (text))

}  // namespace

BOOST_AUTO_TEST_CASE(top_level_help_lists_the_groups_and_exits_0) {
  const ProcessResult result = run_stella({"--help"});
  BOOST_CHECK_EQUAL(result.exit_code, stella::host::kExitSuccess);
  CHECK_CONTAINS(result.out, "Usage: stella [global options] <group> <verb>");
  CHECK_CONTAINS(result.out, "stella plugins list");
  CHECK_CONTAINS(result.out, "stella plugins inspect");
}

BOOST_AUTO_TEST_CASE(no_arguments_prints_the_overview_to_stderr_and_exits_2) {
  const ProcessResult result = run_stella({});
  BOOST_CHECK_EQUAL(result.exit_code, stella::host::kExitBadInput);
  CHECK_CONTAINS(result.err, "Usage: stella");
  BOOST_CHECK(result.out.empty());
}

BOOST_AUTO_TEST_CASE(version_prints_the_version) {
  const ProcessResult result = run_stella({"--version"});
  BOOST_CHECK_EQUAL(result.exit_code, 0);
  BOOST_CHECK(std::regex_match(result.out, std::regex("stella [0-9]+\\.[0-9]+\\.[0-9]+\n")));
  // A global option may stand anywhere, before --version too.
  const ProcessResult after_home = run_stella({"--home", "/nonexistent", "--version"});
  BOOST_CHECK_EQUAL(after_home.exit_code, 0);
  BOOST_CHECK_EQUAL(after_home.out, result.out);
}

BOOST_AUTO_TEST_CASE(group_help_lists_its_verbs) {
  const ProcessResult result = run_stella({"plugins", "--help"});
  BOOST_CHECK_EQUAL(result.exit_code, 0);
  CHECK_CONTAINS(result.out, "Usage: stella plugins <verb> [options]");
  CHECK_CONTAINS(result.out, "  list ");
  CHECK_CONTAINS(result.out, "  inspect ");
}

BOOST_AUTO_TEST_CASE(a_group_without_a_verb_exits_2) {
  const ProcessResult result = run_stella({"plugins"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "Usage: stella plugins <verb> [options]");
}

BOOST_AUTO_TEST_CASE(verb_help_shows_usage_global_options_and_exit_codes) {
  for (const char* flag : {"--help", "-h"}) {
    const ProcessResult result = run_stella({"plugins", "list", flag});
    BOOST_CHECK_EQUAL(result.exit_code, 0);
    CHECK_CONTAINS(result.out, "Usage: stella plugins list [options]");
    for (const char* option :
         {"--database", "--home", "--plugin-dir", "--operator", "--format", "--quiet",
          "--progress-format", "--trusted-keys", "--allow-unsigned"}) {
      CHECK_CONTAINS(result.out, option);
    }
    CHECK_CONTAINS(result.out, "Exit codes:");
  }
  const ProcessResult inspect = run_stella({"plugins", "inspect", "--help"});
  BOOST_CHECK_EQUAL(inspect.exit_code, 0);
  CHECK_CONTAINS(inspect.out, "Usage: stella plugins inspect [options] ID");
}

BOOST_AUTO_TEST_CASE(a_mistyped_group_gets_a_suggestion_and_exit_2) {
  const ProcessResult result = run_stella({"plugin", "list"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "stella: unknown command group 'plugin'");
  CHECK_CONTAINS(result.err, "Did you mean 'stella plugins'?");
  BOOST_CHECK(result.out.empty());
}

BOOST_AUTO_TEST_CASE(an_unrelated_group_points_to_help) {
  const ProcessResult result = run_stella({"xyzzy"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "Run 'stella --help' for the list of commands.");
}

BOOST_AUTO_TEST_CASE(a_mistyped_verb_gets_a_suggestion_and_exit_2) {
  const ProcessResult result = run_stella({"plugins", "lst"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "stella: unknown verb 'lst' in 'stella plugins'");
  CHECK_CONTAINS(result.err, "Did you mean 'stella plugins list'?");
}

BOOST_AUTO_TEST_CASE(a_mistyped_flag_gets_a_suggestion_and_exit_2) {
  const ProcessResult result = run_stella({"plugins", "list", "--fromat", "json"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "stella: unknown option '--fromat' for 'stella plugins list'");
  CHECK_CONTAINS(result.err, "Did you mean '--format'?");
  BOOST_CHECK(result.out.empty());
}

BOOST_AUTO_TEST_CASE(an_abbreviated_flag_is_not_guessed) {
  // `--quar` once ran `--quarantine` and moved rows aside: an abbreviation is a mistyped flag.
  const ProcessResult result =
      run_stella({"--home", "/nonexistent/stella-home", "evidence", "orphans", "--quar"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "stella: unknown option '--quar' for 'stella evidence orphans'");
  CHECK_CONTAINS(result.err, "Did you mean '--quarantine'?");
  const ProcessResult status = run_stella(
      {"--home", "/nonexistent/stella-home", "evidence", "migrate", "--stat", "--fo", "json"});
  BOOST_CHECK_EQUAL(status.exit_code, 2);
  CHECK_CONTAINS(status.err, "unknown option '--stat'");
  BOOST_CHECK(!std::filesystem::exists("/nonexistent/stella-home"));
}

BOOST_AUTO_TEST_CASE(a_verb_that_writes_text_only_refuses_another_format) {
  for (const std::vector<std::string>& verb : std::vector<std::vector<std::string>>{
           {"db", "url"}, {"db", "env"}, {"db", "start"}, {"db", "stop"}, {"evidence", "init"}}) {
    std::vector<std::string> args = {"--home", "/nonexistent/stella-home", "--format", "json"};
    args.insert(args.end(), verb.begin(), verb.end());
    const ProcessResult result = run_stella(args);
    BOOST_CHECK_MESSAGE(result.exit_code == 2, verb[1] << ": exit " << result.exit_code);
    CHECK_CONTAINS(result.err, "--format json is not supported by `stella " + verb[0] + " " +
                                   verb[1] + "`; it writes text only");
    BOOST_CHECK(result.out.empty());
  }
  const ProcessResult text =
      run_stella({"--home", "/nonexistent/stella-home", "--format", "text", "db", "url"});
  BOOST_CHECK_EQUAL(text.exit_code, 0);
}

BOOST_AUTO_TEST_CASE(global_options_may_stand_before_the_group) {
  const ProcessResult result = run_stella({"--format", "json", "plugins", "list"});
  BOOST_CHECK_EQUAL(result.exit_code, 0);
  BOOST_CHECK(!result.out.empty() && result.out.front() == '[');
}

BOOST_AUTO_TEST_CASE(a_bad_progress_format_is_bad_input) {
  const ProcessResult result = run_stella({"plugins", "list", "--progress-format", "fancy"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "--progress-format is 'fancy'; expected auto, plain or json");
}

BOOST_AUTO_TEST_CASE(an_operator_name_that_could_forge_an_audit_line_is_bad_input) {
  // The name is printed in audit list and migrate --status: a line break in it would make a line
  // of its own there. Refused before anything runs.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"alice\n42      2026-01-01T00:00:00.000000Z  verification    auditor",
       "it holds a control character (0x0a) at byte 6"},
      {"tab\tname", "it holds a control character (0x09) at byte 4"},
      {"del\x7f", "it holds a control character (0x7f) at byte 4"},
      // A terminal acts on these too: NEL breaks the line, the separators may, and bidirectional
      // controls show the name reordered ("mallory\u202e" + "ecila" reads "mallory" + "alice").
      {"alice\u0085x", "it holds a control character (U+0085) at byte 6"},
      {"alice\u2028x", "it holds a line separator (U+2028) at byte 6"},
      {"alice\u2029x", "it holds a paragraph separator (U+2029) at byte 6"},
      {"mallory\u202eecila", "it holds a bidirectional control (U+202E) at byte 8"},
      {"r\u00e9mi\u2067x", "it holds a bidirectional control (U+2067) at byte 6"},
      {"\u200fbob", "it holds a bidirectional control (U+200F) at byte 1"},
      {"bob\u061c", "it holds a bidirectional control (U+061C) at byte 4"},
      {"", "it is empty"},
      {std::string(129, 'a'), "it is 129 bytes long; at most 128 are allowed"},
      // PostgreSQL would refuse it in the audit event, after the command's work.
      {"bob\xff", "it is not valid UTF-8 (byte 0xff at byte 4)"},
      {"over\xc0\xaflong", "it is not valid UTF-8 (byte 0xc0 at byte 5)"}};
  for (const auto& [name, problem] : cases) {
    const ProcessResult result =
        run_stella({"--operator", name, "--database", "host=/nonexistent dbname=none", "evidence",
                    "config", "set", "hash-algorithm", "sha512"});
    BOOST_TEST(result.exit_code == 2, result.err);
    BOOST_TEST(result.err.find("--operator cannot name the operator in the audit trail: " +
                               problem) != std::string::npos,
               result.err);
  }
}

BOOST_AUTO_TEST_CASE(an_output_that_cannot_be_written_is_refused_before_the_work) {
  // A report comes after minutes of checking on a big store: a mistyped --output folder is refused
  // first, before the database is even reached (here there is none).
  const std::string folder = (std::filesystem::temp_directory_path() /
                              ("stella-no-such-folder-" + std::to_string(::getpid())))
                                 .string();
  const std::string report = folder + "/report.json";
  const std::string root_a = "sha256:" + std::string(64, 'a');
  const std::string root_b = "sha256:" + std::string(64, 'b');
  const std::vector<std::vector<std::string>> verbs = {
      {"evidence", "verify-all", "--output", report},
      {"evidence", "integrity-check", "--deep", "--output", report},
      {"evidence", "verify-continuity", "--old-root", root_a, "--new-root", root_b, "--output",
       report},
      {"evidence", "reindex", "--algorithm", "sha512", "--dry-run", "--output", report},
      {"evidence", "migrate", "--from-version", "1.0", "--to-version", "2.0", "--dry-run",
       "--output", report},
      {"evidence", "verify-bundle", "/", "--output", report},
      {"evidence", "roots-export", "--output", report}};
  for (std::vector<std::string> verb : verbs) {
    verb.insert(verb.begin(), {"--database", "host=/nonexistent dbname=none"});
    const ProcessResult result = run_stella(verb);
    BOOST_TEST(result.exit_code == 2, verb[3] << ": " << result.err);
    CHECK_CONTAINS(result.err, "cannot write --output " + report + ": the directory " + folder +
                                   " does not exist; nothing was checked or changed");
    // A directory whose permission bits allow writing but which takes no new file (/proc), an
    // empty name and a directory named as the file are refused as early.
    for (const auto& [output, words] : std::vector<std::pair<std::string, std::string>>{
             {"/proc/report.json", "no file can be created in /proc"},
             {"", "it is empty"},
             {"/tmp", "it is a directory"}}) {
      std::vector<std::string> other = verb;
      *std::find(other.begin(), other.end(), report) = output;
      const ProcessResult refused = run_stella(other);
      BOOST_TEST(refused.exit_code == 2, verb[3] << " " << output << ": " << refused.err);
      CHECK_CONTAINS(refused.err, words);
    }
  }
  BOOST_TEST(!std::filesystem::exists(folder));
}

BOOST_AUTO_TEST_CASE(an_empty_database_option_is_refused_not_taken_as_libpq_defaults) {
  // libpq reads "" as every default: the local socket of whatever server runs there.
  const ProcessResult result = run_stella({"--database", "", "evidence", "stats"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "--database is empty; expected a libpq connection string or URI");
}

BOOST_AUTO_TEST_CASE(a_negative_or_zero_import_limit_is_refused_not_wrapped) {
  // An unsigned option took "-3" and wrapped it to a huge limit: the bomb check was off.
  for (const std::string option : {"--max-ratio", "--max-bytes", "--max-entries",
                                   "--max-json-bytes", "--max-artifact-bytes"}) {
    for (const std::string value : {"-3", "0"}) {
      const ProcessResult result =
          run_stella({"evidence", "verify-bundle", "/nonexistent", option, value});
      BOOST_CHECK_EQUAL(result.exit_code, 2);
      CHECK_CONTAINS(result.err, option + " is " + value + "; expected a positive number");
    }
  }
}

BOOST_AUTO_TEST_CASE(an_output_that_is_not_a_regular_file_is_refused_not_replaced) {
  // The report is renamed over --output: a FIFO or a symbolic link there (as root, /dev/stdout or
  // a device node) would be replaced by a regular file.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("stella-output-kinds-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::filesystem::path fifo = dir / "fifo";
  const std::filesystem::path link = dir / "link";
  BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::filesystem::create_symlink(dir / "elsewhere.json", link);
  for (const auto& [output, kind] : std::vector<std::pair<std::filesystem::path, std::string>>{
           {fifo, "a FIFO"}, {link, "a symbolic link"}}) {
    const ProcessResult result =
        run_stella({"--database", "host=/nonexistent dbname=none", "evidence", "verify-all",
                    "--output", output.string()});
    BOOST_CHECK_EQUAL(result.exit_code, 2);
    CHECK_CONTAINS(result.err, "cannot write --output " + output.string() + ": it is " + kind);
  }
  BOOST_CHECK(std::filesystem::is_fifo(std::filesystem::symlink_status(fifo)));
  BOOST_CHECK(std::filesystem::is_symlink(std::filesystem::symlink_status(link)));
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(json_nested_too_deep_is_refused_by_every_json_reader_not_crashed_on) {
  // A plugin manifest and a plan file: read before any database, as a bundle's documents are.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("stella-deep-json-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "plugins" / "deep");
  std::ofstream(dir / "plugins" / "deep" / "manifest.json")
      << std::string(200'000, '[') << std::string(200'000, ']');
  std::ofstream(dir / "plan.json") << std::string(200'000, '[') << std::string(200'000, ']');
  const ProcessResult listed =
      run_stella({"plugins", "list", "--plugin-dir", (dir / "plugins").string()});
  BOOST_CHECK_EQUAL(listed.exit_code, 0);
  CHECK_CONTAINS(listed.out + listed.err, "JSON nested 200000 levels deep; at most 256 are read");
  const ProcessResult plan = run_stella({"--database", "host=/nonexistent dbname=none", "evidence",
                                         "migrate", "--plan", (dir / "plan.json").string()});
  BOOST_CHECK_EQUAL(plan.exit_code, 2);
  CHECK_CONTAINS(plan.err, "JSON nested 200000 levels deep");
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(too_many_arguments_are_bad_input) {
  const ProcessResult result = run_stella({"plugins", "inspect", "a", "b"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "unexpected argument 'b' for 'stella plugins inspect'");
}

BOOST_AUTO_TEST_CASE(the_exit_code_table_in_docs_matches_the_code) {
  std::ifstream in(required_env("STELLA_SOURCE_DIR") + "/docs/cli.md");
  BOOST_REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  // The rows "| `0` | meaning |" of the section "## Exit codes", up to the next section.
  const std::string all = text.str();
  const std::size_t start = all.find("\n## Exit codes");
  BOOST_REQUIRE_MESSAGE(start != std::string::npos, "docs/cli.md has no '## Exit codes' section");
  const std::size_t end = all.find("\n## ", start + 1);
  const std::string content = all.substr(start, end == std::string::npos ? end : end - start);
  const std::regex row("\\| `([0-9]+)` \\| ([^|]+)\\|");
  std::map<int, std::string> documented;
  for (std::sregex_iterator it(content.begin(), content.end(), row), end; it != end; ++it) {
    documented[std::stoi((*it)[1])] = (*it)[2];
  }
  const std::map<int, std::string> expected_words = {
      {stella::host::kExitSuccess, "success"},
      {stella::host::kExitVerificationFailed, "verification"},
      {stella::host::kExitBadInput, "usage"},
      {stella::host::kExitRefused, "refused"}};
  BOOST_CHECK_EQUAL(documented.size(), expected_words.size());
  for (const auto& [code, word] : expected_words) {
    BOOST_REQUIRE_MESSAGE(documented.count(code), "exit code " << code << " not in docs/cli.md");
    BOOST_CHECK_MESSAGE(contains(documented[code], word),
                        "exit code " << code << " documented as '" << documented[code]
                                     << "', expected it to mention '" << word << "'");
  }
}
