#include "diagnostics/diagnostics_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

namespace stella::test {

rapidjson::Document json_run(const EvidenceStore& store, std::vector<std::string> args,
                             int expected_exit, const char* schema) {
  args.insert(args.begin(), {"--format", "json"});
  const ProcessResult result = store.stella(args);
  BOOST_TEST_REQUIRE(result.exit_code == expected_exit, result.out << result.err);
  return valid_json(result.out, schema);
}

std::string member(const rapidjson::Value& object, const char* name) {
  return object.HasMember(name) && object[name].IsString() ? object[name].GetString() : "";
}

bool has_item(const rapidjson::Value& list, const std::map<std::string, std::string>& match) {
  for (const auto& item : list.GetArray()) {
    bool all = true;
    for (const auto& [name, value] : match) {
      if (member(item, name.c_str()) != value) {
        all = false;
        break;
      }
    }
    if (all) {
      return true;
    }
  }
  return false;
}

std::map<std::string, std::string> runbook_environment(const EvidenceStore& store) {
  const std::filesystem::path binary = required_env("STELLA_BINARY");
  return {{"PATH", binary.parent_path().string() + ":/usr/local/bin:/usr/bin:/bin"},
          {"STELLA_DATABASE", store.conninfo()}};
}

void make_attestor_sample(const EvidenceStore& store) {
  const std::string script =
      required_env("STELLA_SOURCE_DIR") + "/tools/make-attestor-sample.sh --replace";
  const ProcessResult result = run_shell(script, runbook_environment(store));
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.out << result.err);
}

}  // namespace stella::test
