// Each broken fixture plugin, loaded beside the good ones: its exact reason (file, what was found,
// what was expected, what to do), and the good plugins still load.
#define BOOST_TEST_MODULE plugins_loader
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>

#include "plugin_test_support.hpp"

namespace fs = std::filesystem;
using stella::host::PluginRecord;
using stella::host::PluginRegistry;
using stella::host::PluginStatus;
using namespace stella::test;

namespace {

/// Where fixture libraries leave a file when their static initialiser runs (at dlopen). Set once
/// for the whole process before anything is loaded: a library opened twice initialises once.
struct LoadMarkers {
  LoadMarkers() : directory("stella-load-markers") {
    ::setenv("STELLA_FIXTURE_MARKER_DIR", directory.path().c_str(), 1);
  }
  ScratchDirectory directory;
};
LoadMarkers* markers = nullptr;
struct LoadMarkersFixture {
  LoadMarkersFixture() { markers = new LoadMarkers(); }
  ~LoadMarkersFixture() { delete markers; }
};
BOOST_TEST_GLOBAL_FIXTURE(LoadMarkersFixture);

bool library_ran(const std::string& plugin_id) {
  return fs::exists(markers->directory.path() / (plugin_id + ".loaded"));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

#define CHECK_CONTAINS(text, part) \
  BOOST_CHECK_MESSAGE(contains(text, part), "expected \"" << (part) << "\" in: " << (text))

/// The good case's three plugins are loaded and proven, whatever broken plugin sits beside them.
void check_good_plugins_loaded(const PluginRegistry& registry) {
  for (const char* id : {"fixture-good", "fixture-step", "fixture-importer"}) {
    const PluginRecord& record = record_with_id(registry, id);
    BOOST_CHECK_MESSAGE(record.status == PluginStatus::loaded,
                        id << " is not loaded: " << record.reason);
    BOOST_CHECK(record.factory_checked);
    BOOST_CHECK(record.descriptor != nullptr);
  }
}

PluginRegistry load_good_and(const std::string& broken_case) {
  PluginRegistry registry = discover_cases({"good", broken_case});
  registry.load_all();
  check_good_plugins_loaded(registry);
  return registry;
}

}  // namespace

BOOST_AUTO_TEST_CASE(good_case_loads_every_kind_and_runs_its_static_initialiser) {
  PluginRegistry registry = discover_cases({"good"});
  BOOST_REQUIRE_EQUAL(registry.plugins().size(), 3u);
  registry.load_all();
  check_good_plugins_loaded(registry);
  const PluginRecord& good = record_with_id(registry, "fixture-good");
  BOOST_CHECK_EQUAL(good.descriptor->version, std::string("1.2.3"));
  BOOST_CHECK_EQUAL(good.library_digest.size(), std::string("sha256:").size() + 64);
  BOOST_CHECK(good.library_path == fixture_case("good") / "fixture-good" / "libfixture_good.so");
  BOOST_CHECK(good.reason.empty());
  // The marker mechanism works, so its absence for the refused fixtures below means something.
  BOOST_CHECK(library_ran("fixture-good"));
}

BOOST_AUTO_TEST_CASE(wrong_abi_is_refused_from_the_manifest_before_loading) {
  PluginRegistry registry = load_good_and("wrong-abi");
  const PluginRecord& record = record_with_id(registry, "fixture-wrong-abi");
  BOOST_CHECK(record.status == PluginStatus::broken);
  BOOST_CHECK_EQUAL(record.reason,
                    (fixture_case("wrong-abi") / "fixture-wrong-abi" / "manifest.json").string() +
                        ": plugin ABI 2, this host supports ABI 1 — rebuild the plugin against "
                        "SDK ABI 1");
  CHECK_CONTAINS(record.remedy, "rebuild the plugin with the SDK of this stella");
  BOOST_CHECK(record.descriptor == nullptr);
  BOOST_CHECK(!library_ran("fixture-wrong-abi"));
}

BOOST_AUTO_TEST_CASE(descriptor_abi_is_read_first_and_refused) {
  PluginRegistry registry = load_good_and("wrong-abi-descriptor");
  const PluginRecord& record = record_with_id(registry, "fixture-abi-lies");
  BOOST_CHECK(record.status == PluginStatus::broken);
  const std::string library =
      (fixture_case("wrong-abi-descriptor") / "fixture-abi-lies" / "libfixture_abi_lies.so")
          .string();
  BOOST_CHECK_EQUAL(record.reason, library +
                                       ": plugin ABI 2, this host supports ABI 1 — rebuild the "
                                       "plugin against SDK ABI 1 (the descriptor says ABI 2, "
                                       "manifest.json says 1)");
  CHECK_CONTAINS(record.remedy, "set \"abi\" in the manifest to 1");
  BOOST_CHECK(record.descriptor == nullptr);
}

BOOST_AUTO_TEST_CASE(missing_entry_symbol_is_named) {
  PluginRegistry registry = load_good_and("no-entry");
  const PluginRecord& record = record_with_id(registry, "fixture-no-entry");
  BOOST_CHECK(record.status == PluginStatus::broken);
  BOOST_CHECK_EQUAL(
      record.reason,
      (fixture_case("no-entry") / "fixture-no-entry" / "libfixture_no_entry.so").string() +
          ": no entry symbol 'stella_plugin_entry_v1' found; expected the library to export it "
          "with STELLA_PLUGIN_EXPORT");
  CHECK_CONTAINS(record.remedy, "add STELLA_PLUGIN_EXPORT(");
  CHECK_CONTAINS(record.remedy, "docs/plugin-author-guide.md");
}

BOOST_AUTO_TEST_CASE(manifest_descriptor_mismatch_lists_every_difference_at_once) {
  PluginRegistry registry = load_good_and("mismatch");
  const PluginRecord& record = record_with_id(registry, "fixture-mismatch");
  BOOST_CHECK(record.status == PluginStatus::broken);
  const fs::path folder = fixture_case("mismatch") / "fixture-mismatch";
  BOOST_CHECK_EQUAL(record.reason, (folder / "libfixture_mismatch.so").string() +
                                       ": descriptor does not match " +
                                       (folder / "manifest.json").string() +
                                       ": version '2.0.0' (manifest '1.0.0'), kind schema-step "
                                       "(manifest reindexer)");
  CHECK_CONTAINS(record.remedy,
                 "make the descriptor (STELLA_PLUGIN_EXPORT) and manifest.json agree");
}

BOOST_AUTO_TEST_CASE(manifest_invalid_against_its_schema_is_refused_without_loading) {
  PluginRegistry registry = load_good_and("invalid-manifest");
  const PluginRecord& record = record_with_id(registry, "fixture-invalid-manifest");
  BOOST_CHECK(record.status == PluginStatus::broken);
  BOOST_CHECK(!record.manifest_valid);
  BOOST_CHECK_EQUAL(
      record.reason,
      (fixture_case("invalid-manifest") / "fixture-invalid-manifest" / "manifest.json").string() +
          ": does not match schemas/plugin-manifest.schema.json: at /provides/edges/0: required "
          "property 'to' missing");
  CHECK_CONTAINS(record.remedy, "correct manifest.json");
  BOOST_CHECK(!library_ran("fixture-invalid-manifest"));
}

BOOST_AUTO_TEST_CASE(a_text_file_named_like_a_library_is_refused_without_loading) {
  PluginRegistry registry = load_good_and("not-a-library");
  const PluginRecord& record = record_with_id(registry, "fixture-not-a-library");
  BOOST_CHECK(record.status == PluginStatus::broken);
  BOOST_CHECK_EQUAL(
      record.reason,
      (fixture_case("not-a-library") / "fixture-not-a-library" / "libfixture_not_a_library.so")
              .string() +
          ": not a shared library; found a file starting with bytes [54 68 69 73], expected an "
          "ELF shared object starting with [7f 45 4c 46]");
  CHECK_CONTAINS(record.remedy, "rebuild the plugin with stella_add_plugin");
}

BOOST_AUTO_TEST_CASE(a_position_independent_executable_is_named_for_what_it_is) {
  // dlopen says only "cannot dynamically load position-independent executable"; the loader says
  // what the file is and how to build a plugin instead.
  PluginRegistry registry = load_good_and("position-independent-executable");
  const PluginRecord& record = record_with_id(registry, "fixture-pie");
  BOOST_CHECK(record.status == PluginStatus::broken);
  CHECK_CONTAINS(
      record.reason,
      (fixture_case("position-independent-executable") / "fixture-pie" / "libfixture_pie.so")
              .string() +
          ": cannot be loaded: it is a position-independent executable (PIE), not a "
          "shared object");
  CHECK_CONTAINS(record.reason, "add_library(NAME MODULE ...)");
  CHECK_CONTAINS(record.remedy, "rebuild the plugin with stella_add_plugin");
}

BOOST_AUTO_TEST_CASE(a_missing_dependency_library_is_named_with_how_to_ship_it) {
  // dlopen fails on the helper library, not on the plugin: the loader names the helper and says
  // how to make it found, instead of Boost.DLL's wrapper words and "rebuild the plugin".
  PluginRegistry registry = load_good_and("missing-dependency");
  const PluginRecord& record = record_with_id(registry, "fixture-missing-dependency");
  BOOST_CHECK(record.status == PluginStatus::broken);
  CHECK_CONTAINS(record.reason,
                 "cannot be loaded as a shared library: it needs libfixture_absent_helper.so, "
                 "which the dynamic loader cannot find");
  BOOST_CHECK(!contains(record.reason, "boost::dll"));
  BOOST_CHECK(!contains(record.reason, "Bad file descriptor"));
  CHECK_CONTAINS(record.remedy,
                 "install libfixture_absent_helper.so on this machine, or ship it "
                 "in the plugin's folder and link the plugin with "
                 "-Wl,-rpath,'$ORIGIN'");
}

BOOST_AUTO_TEST_CASE(a_throwing_factory_is_broken_with_the_plugins_message_and_hint) {
  PluginRegistry registry = load_good_and("throwing-factory");
  const PluginRecord& record = record_with_id(registry, "fixture-throws");
  BOOST_CHECK(record.status == PluginStatus::broken);
  BOOST_CHECK_EQUAL(
      record.reason,
      (fixture_case("throwing-factory") / "fixture-throws" / "libfixture_throws.so").string() +
          ": plugin 'fixture-throws': the factory failed: fixture-throws needs "
          "/nonexistent/fixture.key, which does not exist");
  BOOST_CHECK_EQUAL(record.remedy, "create /nonexistent/fixture.key (this fixture always refuses)");
  BOOST_CHECK(!record.factory_checked);
}

BOOST_AUTO_TEST_CASE(an_object_that_contradicts_its_manifest_is_broken) {
  PluginRegistry registry = load_good_and("object-mismatch");
  const PluginRecord& record = record_with_id(registry, "fixture-object-mismatch");
  BOOST_CHECK(record.status == PluginStatus::broken);
  CHECK_CONTAINS(record.reason,
                 "libfixture_object_mismatch.so: plugin 'fixture-object-mismatch': "
                 "the reindexer object reports algorithm 'fixture-sha256', the "
                 "manifest provides 'fixture-sha384'");
}

BOOST_AUTO_TEST_CASE(two_plugins_with_one_id_in_one_directory_are_both_broken) {
  PluginRegistry registry = load_good_and("duplicate-id");
  const auto twins = records_with_id(registry, "fixture-twin");
  BOOST_REQUIRE_EQUAL(twins.size(), 2u);
  const fs::path dir = fixture_case("duplicate-id");
  BOOST_CHECK_EQUAL(twins[0]->reason, (dir / "twin-a" / "manifest.json").string() +
                                          ": duplicate id 'fixture-twin', also at " +
                                          (dir / "twin-b" / "manifest.json").string() +
                                          "; expected each plugin id once in a directory");
  BOOST_CHECK_EQUAL(twins[1]->reason, (dir / "twin-b" / "manifest.json").string() +
                                          ": duplicate id 'fixture-twin', also at " +
                                          (dir / "twin-a" / "manifest.json").string() +
                                          "; expected each plugin id once in a directory");
  for (const auto* twin : twins) {
    BOOST_CHECK(twin->status == PluginStatus::broken);
    BOOST_CHECK(twin->descriptor == nullptr);
    CHECK_CONTAINS(twin->remedy, "remove all but one of the plugins with id 'fixture-twin'");
  }
  BOOST_CHECK(registry.find("fixture-twin") == nullptr);
  BOOST_CHECK_EXCEPTION(registry.create_reindexer("fixture-twin-sha256"), stella::sdk::Error,
                        [](const stella::sdk::Error& e) {
                          // The broken provider's own remedy, not a near-miss algorithm.
                          return e.code() == stella::sdk::ErrorCode::refused &&
                                 contains(e.what(), "fixture-twin provides it but is broken: ") &&
                                 contains(e.hint(),
                                          "remove all but one of the plugins with id "
                                          "'fixture-twin'");
                        });
}
