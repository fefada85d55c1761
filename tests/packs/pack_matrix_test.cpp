// `plugins matrix --format json`: schema-valid, the product's 1.0→2.0 path complete through 1.1,
// and an installed pack reported as its own group.
#include <boost/test/unit_test.hpp>

#include "packs/pack_test_support.hpp"

using namespace stella::test;

namespace {

const rapidjson::Value& group_named(const rapidjson::Value& matrix, const std::string& name) {
  for (const auto& group : matrix["groups"].GetArray()) {
    if (group["name"].GetString() == name) {
      return group;
    }
  }
  BOOST_FAIL("no group " << name);
  throw std::logic_error("unreachable");
}

const rapidjson::Value* path_between(const rapidjson::Value& group, const std::string& from,
                                     const std::string& to) {
  for (const auto& path : group["versionPaths"].GetArray()) {
    if (path["from"].GetString() == from && path["to"].GetString() == to) {
      return &path;
    }
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(matrix)

BOOST_AUTO_TEST_CASE(matrix_json_is_schema_valid_and_names_complete_paths_per_pack) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  const fs::path pack = make_marker_pack(scratch.path(), "release");
  const fs::path plugins = scratch.path() / "plugins";
  BOOST_REQUIRE_EQUAL(run_stella({"plugins", "install", pack.string(), "--plugin-dir",
                                  plugins.string(), "--trusted-keys", trusted.string()})
                          .exit_code,
                      0);
  const ProcessResult result = run_stella({"plugins", "matrix", "--format", "json", "--plugin-dir",
                                           plugins.string(), "--trusted-keys", trusted.string()});
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  const auto matrix = schema_checked_json(result.out, "plugin-matrix.schema.json");

  const auto& all = group_named(matrix, "all");
  const rapidjson::Value* full = path_between(all, "1.0", "2.0");
  BOOST_REQUIRE(full != nullptr);
  BOOST_CHECK((*full)["complete"].GetBool());
  BOOST_REQUIRE_EQUAL((*full)["via"].Size(), 3u);
  BOOST_CHECK_EQUAL((*full)["via"][1].GetString(), std::string("1.1"));

  const auto& packed = group_named(matrix, "pack:test-pack");
  BOOST_REQUIRE_EQUAL(packed["algorithms"].Size(), 1u);
  BOOST_CHECK_EQUAL(packed["algorithms"][0]["algorithm"].GetString(),
                    std::string("pack-marker-sha256"));
  // The test pack holds no schema step: none of its version paths is complete.
  const rapidjson::Value* none = path_between(packed, "1.0", "2.0");
  BOOST_REQUIRE(none != nullptr);
  BOOST_CHECK(!(*none)["complete"].GetBool());

  const ProcessResult text = run_stella(
      {"plugins", "matrix", "--plugin-dir", plugins.string(), "--trusted-keys", trusted.string()});
  BOOST_CHECK_EQUAL(text.exit_code, 0);
  CHECK_CONTAINS(text.out, "path 1.0 → 2.0: complete via 1.0→1.1→2.0");
}

BOOST_AUTO_TEST_SUITE_END()
