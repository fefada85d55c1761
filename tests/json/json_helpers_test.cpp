// Parsing errors name the origin and the position; schema violations read as sentences naming
// where and what was expected; the embedded manifest schema's patterns really reject.
#define BOOST_TEST_MODULE json_helpers
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/error.hpp"

namespace fs = std::filesystem;
namespace sdk = stella::sdk;
using stella::host::parse_json;
using stella::host::schema_violations;

namespace {

constexpr const char* kManifestSchema = "plugin-manifest.schema.json";

/// A valid manifest, plus `members` ("key": value pairs) added at the top level.
std::string manifest_with(const std::string& members) {
  std::string text = R"({"id": "probe", "version": "1.0.0", "kind": "reindexer", "abi": 1,
    "library": "libprobe.so", "description": "probe", "provides": {"algorithms": ["sha512"]})";
  return text + (members.empty() ? "" : ", " + members) + "}";
}

/// The one violation of a manifest text, or "" when valid.
std::string violation_of(const std::string& json) {
  const rapidjson::Document document = parse_json(json, "test");
  const auto violations = schema_violations(document, kManifestSchema);
  return violations.empty() ? "" : violations.front();
}

std::string manifest_replacing(const std::string& key, const std::string& value_json) {
  rapidjson::Document document = parse_json(manifest_with(""), "test");
  rapidjson::Document value = parse_json(value_json, "value");
  document.RemoveMember(key.c_str());
  rapidjson::Value name(key.c_str(), document.GetAllocator());
  document.AddMember(name, rapidjson::Value(value, document.GetAllocator()),
                     document.GetAllocator());
  return stella::host::json_to_string(document, stella::host::JsonLayout::compact);
}

/// The violation of a valid manifest whose `key` is replaced by `value_json`.
std::string violation_with(const std::string& key, const std::string& value_json) {
  return violation_of(manifest_replacing(key, value_json));
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_parse_error_names_origin_offset_line_and_column) {
  BOOST_CHECK_EXCEPTION(parse_json("{\"a\": 1,\n \"b\": }", "/x/plan.json"), sdk::Error,
                        [](const sdk::Error& e) {
                          BOOST_TEST_MESSAGE(e.what());
                          return e.code() == sdk::ErrorCode::invalid_input &&
                                 std::string(e.what()) ==
                                     "/x/plan.json: invalid JSON at offset 15 (line 2, column 7): "
                                     "Invalid value.";
                        });
}

BOOST_AUTO_TEST_CASE(an_unreadable_or_oversized_file_is_named) {
  BOOST_CHECK_EXCEPTION(
      stella::host::parse_json_file("/nonexistent/x.json"), sdk::Error, [](const sdk::Error& e) {
        return std::string(e.what()).rfind("/nonexistent/x.json: cannot read: ", 0) == 0;
      });
  const fs::path path =
      fs::temp_directory_path() / ("stella-json-test-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
  BOOST_CHECK_EXCEPTION(
      stella::host::parse_json_file(path, 10), sdk::Error, [&](const sdk::Error& e) {
        return std::string(e.what()) ==
               path.string() + ": is 31 bytes; expected a JSON document of at most 10 bytes";
      });
  BOOST_CHECK_EQUAL(stella::host::parse_json_file(path).Size(), 10u);
  fs::remove(path);
}

BOOST_AUTO_TEST_CASE(a_valid_manifest_has_no_violations) {
  BOOST_CHECK_EQUAL(violation_of(manifest_with("")), "");
  BOOST_CHECK_EQUAL(violation_of(manifest_with(R"("capabilities": ["batched", "resumable"])")), "");
  BOOST_CHECK_EQUAL(violation_with("version", R"("1.2.3-rc.1+build.5")"), "");
}

BOOST_AUTO_TEST_CASE(missing_properties_are_all_named) {
  BOOST_CHECK_EQUAL(violation_of(R"({"id": "probe", "kind": "reindexer"})"),
                    "at the top level: required properties 'version', 'abi', 'library', "
                    "'description', 'provides' missing");
  BOOST_CHECK_EQUAL(violation_with("provides", R"({"edges": [{"from": "1.0"}]})"),
                    "at /provides/edges/0: required property 'to' missing");
}

BOOST_AUTO_TEST_CASE(wrong_types_say_what_was_expected_and_found) {
  BOOST_CHECK_EQUAL(violation_with("abi", R"("1")"), "at /abi: expected integer, found string '1'");
  BOOST_CHECK_EQUAL(violation_with("abi", "1.5"), "at /abi: expected integer, found number 1.5");
  BOOST_CHECK_EQUAL(violation_of(R"({"id": 5})"), "at /id: expected string, found integer 5");
  BOOST_CHECK_EQUAL(violation_with("provides", "[]"),
                    "at /provides: expected object, found array an array of 0 items");
}

BOOST_AUTO_TEST_CASE(enums_list_the_allowed_values) {
  BOOST_CHECK_EQUAL(violation_with("kind", R"("importer")"),
                    "at /kind: found string 'importer'; expected one of: 'schema-step', "
                    "'reindexer', 'storage-importer'");
}

BOOST_AUTO_TEST_CASE(every_pattern_of_the_manifest_schema_rejects_what_it_should) {
  BOOST_CHECK_EQUAL(violation_with("id", R"("Probe_1")"),
                    "at /id: found string 'Probe_1'; expected a match of ^[a-z0-9][a-z0-9.-]*$ "
                    "(lower-case letters, digits, dots and dashes, starting with a letter or "
                    "digit)");
  BOOST_CHECK_NE(violation_with("id", R"("-probe")"), "");
  BOOST_CHECK_EQUAL(violation_with("id", R"("probe.v2-x")"), "");
  BOOST_CHECK_NE(violation_with("version", R"("1.0")"), "");
  BOOST_CHECK_NE(violation_with("version", R"("01.0.0")"), "");
  BOOST_CHECK_NE(violation_with("version", R"("1.0.0 ")"), "");
  BOOST_CHECK_NE(violation_with("library", R"("lib/probe.so")"), "");
  BOOST_CHECK_NE(violation_with("library", R"("../libprobe.so")"), "");
  BOOST_CHECK_NE(violation_with("library", R"("probe.so")"), "");
  BOOST_CHECK_NE(violation_with("library", R"("libprobe.so.1")"), "");
  BOOST_CHECK_EQUAL(violation_with("library", R"("libstella_hash_sha3-256.so")"), "");
  BOOST_CHECK_NE(violation_with("provides", R"({"edges": [{"from": "1", "to": "1.1"}]})"), "");
  BOOST_CHECK_NE(violation_with("provides", R"({"algorithms": ["SHA512"]})"), "");
}

BOOST_AUTO_TEST_CASE(unknown_properties_are_named_with_the_allowed_ones) {
  BOOST_CHECK_EQUAL(violation_of(manifest_with(R"("provide": {})")),
                    "at /provide: property not allowed here; expected only: 'id', 'version', "
                    "'kind', 'abi', 'library', 'description', 'provides', 'capabilities'");
}

BOOST_AUTO_TEST_CASE(bounds_and_uniqueness_are_explained) {
  BOOST_CHECK_EQUAL(violation_with("abi", "0"), "at /abi: found 0; expected at least 1");
  BOOST_CHECK_EQUAL(violation_with("description", R"("")"),
                    "at /description: '' is 0 characters long; expected at least 1");
  BOOST_CHECK_EQUAL(violation_with("capabilities", R"(["batched", "batched"])"),
                    "at /capabilities/1: 'batched' repeats an earlier item; expected unique items");
}

BOOST_AUTO_TEST_CASE(require_schema_valid_throws_bad_input_naming_the_origin) {
  const rapidjson::Document document = parse_json(R"({"id": "probe"})", "inline");
  BOOST_CHECK_EXCEPTION(
      stella::host::require_schema_valid(document, kManifestSchema, "/plugins/x/manifest.json"),
      sdk::Error, [](const sdk::Error& e) {
        return e.code() == sdk::ErrorCode::invalid_input &&
               std::string(e.what()).rfind(
                   "/plugins/x/manifest.json: does not match "
                   "schemas/plugin-manifest.schema.json: at the top level: "
                   "required properties",
                   0) == 0;
      });
}

BOOST_AUTO_TEST_CASE(an_unknown_schema_is_an_internal_error) {
  const rapidjson::Document document = parse_json("{}", "inline");
  BOOST_CHECK_EXCEPTION(
      schema_violations(document, "no-such.schema.json"), sdk::Error, [](const sdk::Error& e) {
        return e.code() == sdk::ErrorCode::internal &&
               std::string(e.what()).find("no-such.schema.json") != std::string::npos;
      });
}

BOOST_AUTO_TEST_CASE(json_is_written_pretty_or_compact) {
  const rapidjson::Document document = parse_json(R"({"a": [1, "x"]})", "inline");
  BOOST_CHECK_EQUAL(stella::host::json_to_string(document, stella::host::JsonLayout::compact),
                    R"({"a":[1,"x"]})");
  BOOST_CHECK_EQUAL(stella::host::json_to_string(document),
                    "{\n  \"a\": [\n    1,\n    \"x\"\n  ]\n}");
}
