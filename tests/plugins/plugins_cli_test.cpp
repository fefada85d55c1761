// `stella plugins list` and `stella plugins inspect` through the real binary: JSON outputs
// validated against their schemas, text output, exit codes, and the search order end to end.
#define BOOST_TEST_MODULE plugins_cli
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include <fstream>

#include "plugin_test_support.hpp"
#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"

namespace fs = std::filesystem;
using namespace stella::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

#define CHECK_CONTAINS(text, part) \
  BOOST_CHECK_MESSAGE(contains(text, part), "expected \"" << (part) << "\" in: " << (text))

/// Parses `stella ... --format json` output and checks it against its schema.
rapidjson::Document checked_json(const ProcessResult& result, const std::string& schema) {
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "exit " << result.exit_code << ": " << result.err);
  rapidjson::Document document = stella::host::parse_json(result.out, "stella output");
  const auto violations = stella::host::schema_violations(document, schema);
  BOOST_CHECK_MESSAGE(violations.empty(), "output does not match "
                                              << schema << ": "
                                              << (violations.empty() ? "" : violations.front()));
  return document;
}

const rapidjson::Value* entry_with_manifest(const rapidjson::Value& list,
                                            const fs::path& manifest) {
  for (const auto& entry : list.GetArray()) {
    if (entry["manifest"].GetString() == manifest.string()) {
      return &entry;
    }
  }
  return nullptr;
}

const rapidjson::Value& entry_with_id(const rapidjson::Value& list, const std::string& id) {
  for (const auto& entry : list.GetArray()) {
    if (entry["id"].GetString() == id) {
      return entry;
    }
  }
  throw std::runtime_error("no entry with id " + id);
}

ProcessResult list_json(const std::vector<std::string>& cases) {
  std::vector<std::string> args{"plugins", "list", "--format", "json"};
  for (const auto& name : cases) {
    args.push_back("--plugin-dir");
    args.push_back(fixture_case(name).string());
  }
  return run_stella(args);
}

struct BrokenCase {
  const char* name;
  const char* id;
  const char* reason_part;
};

}  // namespace

BOOST_AUTO_TEST_CASE(list_json_reports_each_broken_fixture_beside_the_loaded_good_ones) {
  const BrokenCase cases[] = {
      {"wrong-abi", "fixture-wrong-abi", "plugin ABI 2, this host supports ABI 1"},
      {"wrong-abi-descriptor", "fixture-abi-lies", "(the descriptor says ABI 2"},
      {"no-entry", "fixture-no-entry", "no entry symbol 'stella_plugin_entry_v1'"},
      {"mismatch", "fixture-mismatch",
       "version '2.0.0' (manifest '1.0.0'), kind schema-step (manifest reindexer)"},
      {"invalid-manifest", "fixture-invalid-manifest",
       "at /provides/edges/0: required property 'to' missing"},
      {"not-a-library", "fixture-not-a-library", "not a shared library"},
      {"throwing-factory", "fixture-throws", "the factory failed: fixture-throws needs"},
      {"object-mismatch", "fixture-object-mismatch", "reports algorithm 'fixture-sha256'"},
  };
  for (const auto& broken : cases) {
    BOOST_TEST_CONTEXT("case " << broken.name) {
      const ProcessResult result = list_json({"good", broken.name});
      const rapidjson::Document list = checked_json(result, "plugins-list.schema.json");
      for (const char* good : {"fixture-good", "fixture-step", "fixture-importer"}) {
        const rapidjson::Value& entry = entry_with_id(list, good);
        BOOST_CHECK_EQUAL(entry["status"].GetString(), std::string("loaded"));
        BOOST_CHECK(entry["factoryChecked"].GetBool());
        BOOST_CHECK(entry["reason"].IsNull());
      }
      const rapidjson::Value& entry = entry_with_id(list, broken.id);
      BOOST_CHECK_EQUAL(entry["status"].GetString(), std::string("broken"));
      CHECK_CONTAINS(std::string(entry["reason"].GetString()), broken.reason_part);
      CHECK_CONTAINS(std::string(entry["reason"].GetString()), fixture_case(broken.name).string());
      BOOST_CHECK(entry["remedy"].IsString() && entry["remedy"].GetStringLength() > 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(list_json_describes_a_good_plugin_completely) {
  const rapidjson::Document list = checked_json(list_json({"good"}), "plugins-list.schema.json");
  const rapidjson::Value& good = entry_with_id(list, "fixture-good");
  BOOST_CHECK_EQUAL(good["version"].GetString(), std::string("1.2.3"));
  BOOST_CHECK_EQUAL(good["kind"].GetString(), std::string("reindexer"));
  BOOST_CHECK_EQUAL(good["abi"].GetInt(), 1);
  BOOST_CHECK_EQUAL(good["provides"]["algorithms"][0].GetString(), std::string("fixture-sha256"));
  BOOST_CHECK_EQUAL(good["capabilities"][0].GetString(), std::string("parallel"));
  const fs::path library = fixture_case("good") / "fixture-good" / "libfixture_good.so";
  BOOST_CHECK_EQUAL(good["file"].GetString(), library.string());
  // The digest is the file's SHA-256 as sha256sum computes it.
  const ProcessResult sum = run_shell("sha256sum '" + library.string() + "' | cut -d' ' -f1");
  BOOST_CHECK_EQUAL(good["digest"].GetString(), "sha256:" + sum.out.substr(0, 64));
  const rapidjson::Value& step = entry_with_id(list, "fixture-step");
  BOOST_CHECK_EQUAL(step["provides"]["edges"][0]["from"].GetString(), std::string("9.0"));
  BOOST_CHECK_EQUAL(step["provides"]["edges"][0]["to"].GetString(), std::string("9.1"));
}

BOOST_AUTO_TEST_CASE(duplicate_ids_are_both_listed_as_broken) {
  const rapidjson::Document list =
      checked_json(list_json({"good", "duplicate-id"}), "plugins-list.schema.json");
  int twins = 0;
  for (const auto& entry : list.GetArray()) {
    if (entry["id"].GetString() == std::string("fixture-twin")) {
      ++twins;
      BOOST_CHECK_EQUAL(entry["status"].GetString(), std::string("broken"));
      CHECK_CONTAINS(std::string(entry["reason"].GetString()),
                     "duplicate id 'fixture-twin', also at");
    }
  }
  BOOST_CHECK_EQUAL(twins, 2);
}

BOOST_AUTO_TEST_CASE(list_text_is_a_table_with_reasons_and_the_search_path) {
  const ProcessResult result =
      run_stella({"plugins", "list", "--plugin-dir", fixture_case("good").string(), "--plugin-dir",
                  fixture_case("throwing-factory").string()});
  BOOST_CHECK_EQUAL(result.exit_code, 0);
  CHECK_CONTAINS(result.out, "ID ");
  CHECK_CONTAINS(result.out, "VERSION");
  CHECK_CONTAINS(result.out, "PROVIDES");
  CHECK_CONTAINS(result.out, "9.0→9.1");
  CHECK_CONTAINS(result.out, "fixture-throws is broken: ");
  CHECK_CONTAINS(result.out, "\n  what to do: create /nonexistent/fixture.key");
  CHECK_CONTAINS(result.out, "search path (first wins):\n  " + fixture_case("good").string());
  BOOST_CHECK(result.err.empty());
}

BOOST_AUTO_TEST_CASE(inspect_json_shows_the_descriptor_and_validates) {
  const ProcessResult result = run_stella({"plugins", "inspect", "fixture-step", "--format", "json",
                                           "--plugin-dir", fixture_case("good").string()});
  const rapidjson::Document plugin = checked_json(result, "plugins-inspect.schema.json");
  BOOST_CHECK_EQUAL(plugin["status"].GetString(), std::string("loaded"));
  BOOST_CHECK(plugin["factoryChecked"].GetBool());
  BOOST_CHECK_EQUAL(plugin["hostAbi"].GetInt(), 1);
  BOOST_CHECK_EQUAL(plugin["descriptor"]["id"].GetString(), std::string("fixture-step"));
  BOOST_CHECK_EQUAL(plugin["descriptor"]["version"].GetString(), std::string("0.9.0"));
  BOOST_CHECK_EQUAL(plugin["descriptor"]["kind"].GetString(), std::string("schema-step"));
  BOOST_CHECK_EQUAL(plugin["sameId"].Size(), 0u);
}

BOOST_AUTO_TEST_CASE(inspect_of_a_broken_plugin_shows_why_and_exits_zero) {
  const ProcessResult result = run_stella({"plugins", "inspect", "fixture-mismatch", "--plugin-dir",
                                           fixture_case("mismatch").string()});
  BOOST_CHECK_EQUAL(result.exit_code, 0);
  CHECK_CONTAINS(result.out, "status:           broken");
  CHECK_CONTAINS(result.out, "reason:           ");
  CHECK_CONTAINS(result.out, "descriptor does not match");
  CHECK_CONTAINS(result.out, "what to do:       make the descriptor");
}

BOOST_AUTO_TEST_CASE(a_manifest_that_is_no_regular_file_is_listed_broken_not_left_out) {
  // Never opened (a FIFO would wait for a writer forever), never silently skipped.
  ScratchDirectory scratch;
  fs::create_directories(scratch.path() / "as-directory" / "manifest.json");
  fs::create_directories(scratch.path() / "as-fifo");
  BOOST_REQUIRE(::mkfifo((scratch.path() / "as-fifo" / "manifest.json").c_str(), 0600) == 0);
  const ProcessResult result =
      run_stella({"plugins", "list", "--plugin-dir", scratch.path().string()});
  BOOST_CHECK_EQUAL(result.exit_code, 0);
  for (const char* plugin : {"as-directory", "as-fifo"}) {
    CHECK_CONTAINS(result.out, (scratch.path() / plugin / "manifest.json").string() +
                                   ": not a regular file (a directory, a FIFO, a socket or a "
                                   "device); expected the plugin's manifest");
  }
}

BOOST_AUTO_TEST_CASE(a_library_cut_short_is_broken_not_a_crash) {
  // dlopen maps a truncated file and dies with SIGBUS on the missing pages; the loader checks the
  // ELF structure first and names the file.
  ScratchDirectory scratch;
  copy_plugin(fixture_case("good") / "fixture-good", scratch.path() / "fixture-good");
  const fs::path library = scratch.path() / "fixture-good" / "libfixture_good.so";
  fs::resize_file(library, 4000);
  const ProcessResult result =
      run_stella({"plugins", "inspect", "fixture-good", "--plugin-dir", scratch.path().string()});
  BOOST_CHECK_EQUAL(result.exit_code, 0);
  CHECK_CONTAINS(result.out, "status:           broken");
  CHECK_CONTAINS(result.out, library.string() +
                                 ": cannot be loaded: it is a truncated ELF file: it ends at "
                                 "4000 bytes, before its ");
}

BOOST_AUTO_TEST_CASE(inspect_lists_the_plugins_it_shadows) {
  ScratchDirectory scratch;
  copy_plugin(fixture_case("good") / "fixture-good", scratch.path() / "fixture-good");
  const ProcessResult result =
      run_stella({"plugins", "inspect", "fixture-good", "--format", "json", "--plugin-dir",
                  fixture_case("good").string(), "--plugin-dir", scratch.path().string()});
  const rapidjson::Document plugin = checked_json(result, "plugins-inspect.schema.json");
  BOOST_REQUIRE_EQUAL(plugin["sameId"].Size(), 1u);
  BOOST_CHECK_EQUAL(plugin["sameId"][0]["status"].GetString(), std::string("shadowed"));
  BOOST_CHECK_EQUAL(plugin["sameId"][0]["manifest"].GetString(),
                    (scratch.path() / "fixture-good" / "manifest.json").string());
}

BOOST_AUTO_TEST_CASE(inspect_of_an_unknown_id_exits_2_with_a_suggestion) {
  const ProcessResult result = run_stella(
      {"plugins", "inspect", "fixture-god", "--plugin-dir", fixture_case("good").string()});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err,
                 "stella: error: no plugin with id 'fixture-god' on the plugin search path");
  CHECK_CONTAINS(result.err, "what to do: Did you mean 'stella plugins inspect fixture-good'?");
  BOOST_CHECK(result.out.empty());
}

BOOST_AUTO_TEST_CASE(inspect_without_an_id_exits_2) {
  const ProcessResult result = run_stella({"plugins", "inspect"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "'stella plugins inspect' needs a plugin ID");
}

BOOST_AUTO_TEST_CASE(a_missing_plugin_dir_exits_2_naming_it) {
  const ProcessResult result =
      run_stella({"plugins", "list", "--plugin-dir", "/nonexistent/plugins"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "stella: error: --plugin-dir /nonexistent/plugins: not a directory");
}

BOOST_AUTO_TEST_CASE(an_unsupported_format_exits_2) {
  const ProcessResult result = run_stella({"plugins", "list", "--format", "yaml"});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "--format is 'yaml'; 'stella plugins list' writes text or json");
}

BOOST_AUTO_TEST_CASE(search_order_is_plugin_dir_then_environment_then_install_directory) {
  // A copy of stella in a fresh prefix has its own install directory, <prefix>/lib/stella/plugins.
  ScratchDirectory prefix;
  fs::create_directories(prefix.path() / "bin");
  const fs::path stella = prefix.path() / "bin" / "stella";
  fs::copy_file(required_env("STELLA_BINARY"), stella);
  const fs::path installed = prefix.path() / "lib" / "stella" / "plugins" / "fixture-good";
  const fs::path flagged = prefix.path() / "flag" / "fixture-good";
  const fs::path from_env = prefix.path() / "env" / "fixture-good";
  for (const auto& target : {installed, flagged, from_env}) {
    copy_plugin(fixture_case("good") / "fixture-good", target);
  }
  const auto run = [&](std::vector<std::string> args, const std::string& plugin_path) {
    const std::string script = "STELLA_PLUGIN_PATH='" + plugin_path + "' '" + stella.string() +
                               "' plugins list --format json";
    std::string line = script;
    for (const auto& arg : args) {
      line += " '" + arg + "'";
    }
    const ProcessResult result = run_shell(line);
    return checked_json(result, "plugins-list.schema.json");
  };
  const auto status_of = [](const rapidjson::Value& list, const fs::path& folder) {
    const rapidjson::Value* entry = entry_with_manifest(list, folder / "manifest.json");
    BOOST_REQUIRE_MESSAGE(entry != nullptr, "no entry for " << folder);
    return std::string((*entry)["status"].GetString());
  };

  const rapidjson::Document all =
      run({"--plugin-dir", flagged.parent_path().string()}, from_env.parent_path().string());
  BOOST_CHECK_EQUAL(all.Size(), 3u);
  BOOST_CHECK_EQUAL(status_of(all, flagged), "loaded");
  BOOST_CHECK_EQUAL(status_of(all, from_env), "shadowed");
  BOOST_CHECK_EQUAL(status_of(all, installed), "shadowed");
  const rapidjson::Value* shadowed = entry_with_manifest(all, installed / "manifest.json");
  BOOST_CHECK_EQUAL((*shadowed)["reason"].GetString(),
                    (installed / "manifest.json").string() + ": shadowed by " +
                        (flagged / "manifest.json").string() +
                        " (same id 'fixture-good', earlier on the search path)");

  const rapidjson::Document env_and_install = run({}, from_env.parent_path().string());
  BOOST_CHECK_EQUAL(env_and_install.Size(), 2u);
  BOOST_CHECK_EQUAL(status_of(env_and_install, from_env), "loaded");
  BOOST_CHECK_EQUAL(status_of(env_and_install, installed), "shadowed");

  const rapidjson::Document install_only = run({}, "");
  BOOST_CHECK_EQUAL(install_only.Size(), 1u);
  BOOST_CHECK_EQUAL(status_of(install_only, installed), "loaded");
}
