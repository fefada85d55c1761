// Discovery: the search path and its order, shadowing, plugin folders given directly, and the
// checks made from files alone (manifest JSON, schema, kind rule, library file).
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "plugin_test_support.hpp"

namespace fs = std::filesystem;
namespace sdk = stella::sdk;
using stella::host::PluginRecord;
using stella::host::PluginRegistry;
using stella::host::PluginSearchPath;
using stella::host::PluginStatus;
using namespace stella::test;

namespace {

const fs::path kGoodPlugin = "fixture-good";

PluginRegistry discover_dirs(std::vector<fs::path> directories) {
  PluginSearchPath path{std::move(directories), {}};
  // The fixtures come from no signed pack: load them as a plugin developer would.
  path.trust.allow_unsigned = true;
  return PluginRegistry::discover(path);
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

/// A plugin folder whose manifest is `manifest_json` and whose library is the good fixture's.
fs::path make_plugin(const fs::path& folder, const std::string& manifest_json) {
  fs::create_directories(folder);
  fs::copy_file(fixture_case("good") / kGoodPlugin / "libfixture_good.so",
                folder / "libfixture_good.so", fs::copy_options::overwrite_existing);
  write_file(folder / "manifest.json", manifest_json);
  return folder;
}

std::string reindexer_manifest(const std::string& provides) {
  return R"({"id": "probe", "version": "1.0.0", "kind": "reindexer", "abi": 1,
             "library": "libfixture_good.so", "description": "probe", "provides": )" +
         provides + "}";
}

}  // namespace

BOOST_AUTO_TEST_CASE(search_path_is_plugin_dirs_then_environment_then_install_directory) {
  ScratchDirectory scratch;
  for (const char* name : {"a", "b", "c"}) {
    fs::create_directories(scratch.path() / name);
  }
  const fs::path a = scratch.path() / "a";
  const fs::path b = scratch.path() / "b";
  const fs::path c = scratch.path() / "c";
  const PluginSearchPath path = stella::host::plugin_search_path(
      {b.string(), a.string()}, {c.string(), (scratch.path() / "missing").string(), a.string()});
  const std::vector<fs::path> expected{b, a, c, stella::host::plugin_install_directory()};
  BOOST_CHECK_EQUAL_COLLECTIONS(path.directories.begin(), path.directories.end(), expected.begin(),
                                expected.end());
}

BOOST_AUTO_TEST_CASE(install_directory_is_relative_to_the_running_executable) {
  const fs::path executable = fs::read_symlink("/proc/self/exe");
  BOOST_CHECK(stella::host::plugin_install_directory() ==
              (executable.parent_path() / ".." / "lib" / "stella" / "plugins").lexically_normal());
}

BOOST_AUTO_TEST_CASE(a_missing_plugin_dir_is_bad_input_naming_it) {
  BOOST_CHECK_EXCEPTION(
      stella::host::plugin_search_path({"/nonexistent/plugins"}, {}), sdk::Error,
      [](const sdk::Error& e) {
        return e.code() == sdk::ErrorCode::invalid_input &&
               std::string(e.what()) ==
                   "--plugin-dir /nonexistent/plugins: not a directory; expected a directory "
                   "holding plugin folders (each with a manifest.json) or one plugin folder";
      });
}

BOOST_AUTO_TEST_CASE(the_first_plugin_of_an_id_on_the_path_wins_and_later_ones_are_shadowed) {
  ScratchDirectory scratch;
  const fs::path copy = scratch.path() / "later";
  copy_plugin(fixture_case("good") / kGoodPlugin, copy / "fixture-good");
  {
    PluginRegistry registry = discover_dirs({fixture_case("good"), copy});
    const auto records = records_with_id(registry, "fixture-good");
    BOOST_REQUIRE_EQUAL(records.size(), 2u);
    BOOST_CHECK(registry.find("fixture-good") == records[0]);
    BOOST_CHECK(records[1]->status == PluginStatus::shadowed);
    BOOST_CHECK_EQUAL(records[1]->reason,
                      (copy / "fixture-good" / "manifest.json").string() + ": shadowed by " +
                          (fixture_case("good") / kGoodPlugin / "manifest.json").string() +
                          " (same id 'fixture-good', earlier on the search path)");
    registry.load_all();
    BOOST_CHECK(records[0]->status == PluginStatus::loaded);
    BOOST_CHECK(records[1]->status == PluginStatus::shadowed);
    BOOST_CHECK(records[1]->descriptor == nullptr);
  }
  {
    PluginRegistry registry = discover_dirs({copy, fixture_case("good")});
    const auto records = records_with_id(registry, "fixture-good");
    BOOST_REQUIRE_EQUAL(records.size(), 2u);
    BOOST_CHECK(records[0]->directory == copy / "fixture-good");
    BOOST_CHECK(records[0]->status == PluginStatus::discovered);
    BOOST_CHECK(records[1]->status == PluginStatus::shadowed);
  }
}

BOOST_AUTO_TEST_CASE(a_broken_first_plugin_still_shadows_later_ones_of_its_id) {
  ScratchDirectory scratch;
  make_plugin(scratch.path() / "first" / "probe", reindexer_manifest(R"({"algorithms": []})"));
  make_plugin(scratch.path() / "second" / "probe",
              reindexer_manifest(R"({"algorithms": ["fixture-probe"]})"));
  PluginRegistry registry = discover_dirs({scratch.path() / "first", scratch.path() / "second"});
  const auto records = records_with_id(registry, "probe");
  BOOST_REQUIRE_EQUAL(records.size(), 2u);
  BOOST_CHECK(records[0]->status == PluginStatus::broken);
  BOOST_CHECK(records[1]->status == PluginStatus::shadowed);
  BOOST_CHECK(registry.find("probe") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_plugin_folder_may_be_given_directly_and_a_directory_only_once) {
  const fs::path folder = fixture_case("good") / kGoodPlugin;
  PluginRegistry registry = discover_dirs({folder, folder, fixture_case("good") / "."});
  BOOST_CHECK_EQUAL(records_with_id(registry, "fixture-good").size(), 2u);
  BOOST_CHECK(records_with_id(registry, "fixture-good")[1]->status == PluginStatus::shadowed);
  BOOST_CHECK_EQUAL(registry.plugins().size(), 4u);
}

BOOST_AUTO_TEST_CASE(missing_directories_on_the_path_are_skipped) {
  PluginRegistry registry = discover_dirs({"/nonexistent/a", fixture_case("good")});
  BOOST_CHECK_EQUAL(registry.plugins().size(), 3u);
}

BOOST_AUTO_TEST_CASE(invalid_json_names_the_file_offset_line_and_column) {
  ScratchDirectory scratch;
  const fs::path folder =
      make_plugin(scratch.path() / "probe", "{\n  \"id\": \"probe\"\n  \"x\": 1\n}");
  PluginRegistry registry = discover_dirs({scratch.path()});
  BOOST_REQUIRE_EQUAL(registry.plugins().size(), 1u);
  const PluginRecord& record = registry.plugins().front();
  BOOST_CHECK(record.status == PluginStatus::broken);
  BOOST_CHECK_EQUAL(record.reason, (folder / "manifest.json").string() +
                                       ": invalid JSON at offset 20 (line 3, column 3): Missing "
                                       "a comma or '}' after an object member.");
}

BOOST_AUTO_TEST_CASE(the_kind_rule_reports_every_problem_at_once) {
  ScratchDirectory scratch;
  const fs::path folder =
      make_plugin(scratch.path() / "probe",
                  reindexer_manifest(R"({"algorithms": ["a", "b"], "edges": [{"from": "1.0",
                                         "to": "1.1"}]})"));
  PluginRegistry registry = discover_dirs({scratch.path()});
  const PluginRecord& record = registry.plugins().front();
  BOOST_CHECK(record.status == PluginStatus::broken);
  BOOST_CHECK_EQUAL(
      record.reason,
      (folder / "manifest.json").string() +
          ": kind 'reindexer' provides no edges, found 1 in provides.edges (they belong to kind "
          "'schema-step'); kind 'reindexer' needs exactly one item in provides.algorithms, found "
          "2 (for example \"algorithms\": [\"sha512\"]; a plugin that provides several is split "
          "into one plugin each)");
}

BOOST_AUTO_TEST_CASE(a_missing_library_file_is_named) {
  ScratchDirectory scratch;
  const fs::path folder = scratch.path() / "probe";
  write_file(folder / "manifest.json",
             R"({"id": "probe", "version": "1.0.0", "kind": "reindexer", "abi": 1,
                 "library": "libprobe.so", "description": "probe",
                 "provides": {"algorithms": ["fixture-probe"]}})");
  PluginRegistry registry = discover_dirs({scratch.path()});
  const PluginRecord& record = registry.plugins().front();
  BOOST_CHECK(record.status == PluginStatus::broken);
  BOOST_CHECK_EQUAL(record.reason, (folder / "libprobe.so").string() +
                                       ": no such file; expected the library named by " +
                                       (folder / "manifest.json").string() + " (\"library\")");
}

BOOST_AUTO_TEST_CASE(a_library_replaced_after_discovery_is_not_loaded) {
  ScratchDirectory scratch;
  const fs::path folder = scratch.path() / "fixture-good";
  copy_plugin(fixture_case("good") / kGoodPlugin, folder);
  PluginRegistry registry = discover_dirs({scratch.path()});
  const std::string digest = registry.plugins().front().library_digest;
  std::ofstream(folder / "libfixture_good.so", std::ios::app) << "tampered";
  registry.load_all();
  const PluginRecord& record = registry.plugins().front();
  BOOST_CHECK(record.status == PluginStatus::broken);
  BOOST_CHECK(record.descriptor == nullptr);
  BOOST_CHECK(record.reason.find((folder / "libfixture_good.so").string() +
                                 ": changed since it was discovered; found sha256:") == 0);
  BOOST_CHECK(record.reason.find(", expected " + digest) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(folders_without_a_manifest_are_not_plugins) {
  ScratchDirectory scratch;
  fs::create_directories(scratch.path() / "notes");
  write_file(scratch.path() / "notes" / "README", "not a plugin");
  copy_plugin(fixture_case("good") / kGoodPlugin, scratch.path() / "fixture-good");
  PluginRegistry registry = discover_dirs({scratch.path()});
  BOOST_REQUIRE_EQUAL(registry.plugins().size(), 1u);
  BOOST_CHECK_EQUAL(registry.plugins().front().manifest.id, "fixture-good");
}
