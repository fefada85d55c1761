#include "packs/pack_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <stdexcept>

#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"

namespace stella::test {

PackScratch::PackScratch() {
  std::string pattern = (fs::temp_directory_path() / "stella-packs-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = pattern;
}

PackScratch::~PackScratch() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

fs::path marker_plugin_folder() {
  return fs::path(required_env("STELLA_PACK_FIXTURE_DIR")) / "marker" / "pack-marker";
}

fs::path make_keys(const fs::path& dir, const std::string& name) {
  const fs::path keys = dir / ("keys-" + name);
  const ProcessResult result =
      run_stella({"plugins", "keygen", "--output-dir", keys.string(), "--name", name});
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "keygen: " << result.err);
  const fs::path trusted = dir / ("trusted-" + name);
  fs::create_directories(trusted);
  fs::copy_file(keys / (name + ".pem"), trusted / (name + ".pem"));
  return trusted;
}

fs::path make_marker_pack(const fs::path& dir, const std::string& name, const std::string& file) {
  const fs::path pack = dir / file;
  const ProcessResult result =
      run_stella({"plugins", "pack", "--output", pack.string(), "--key",
                  (dir / ("keys-" + name) / (name + ".key")).string(), "--pack-id", "test-pack",
                  marker_plugin_folder().string()});
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "pack: " << result.err);
  return pack;
}

ProcessResult run_stella_marked(const std::vector<std::string>& args, const fs::path& marker_dir) {
  fs::create_directories(marker_dir);
  return run_stella(args, {{"STELLA_PACK_MARKER_DIR", marker_dir.string()}});
}

bool marker_present(const fs::path& marker_dir) {
  return fs::exists(marker_dir / "pack-marker.ran");
}

void shell(const std::string& script, const fs::path& dir) {
  const ProcessResult result = run_shell("set -e\n" + script, {}, dir.string());
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "script failed (" << result.exit_code
                                                                 << "): " << script << "\n"
                                                                 << result.out << result.err);
}

void resign_pack_manifest(const fs::path& dir, const fs::path& keys_root, const std::string& name) {
  const fs::path key = keys_root / ("keys-" + name) / (name + ".key");
  // Ed25519 signs the raw message (-rawin), exactly as EVP_DigestSign with no digest does.
  shell(
      "openssl pkeyutl -sign -rawin -inkey '" + key.string() +
          "' -in pack-manifest.json -out signature.bin\n"
          "signature=$(base64 -w0 signature.bin)\n"
          "rm signature.bin\n"
          "sed -i \"s|\\\"signature\\\": \\\"[^\\\"]*\\\"|\\\"signature\\\": \\\"$signature\\\"|\" "
          "pack-manifest.sig\n",
      dir);
}

rapidjson::Document schema_checked_json(const std::string& text, const std::string& schema) {
  rapidjson::Document document = host::parse_json(text, "stella output");
  const auto violations = host::schema_violations(document, schema);
  BOOST_CHECK_MESSAGE(violations.empty(), "output does not match "
                                              << schema << ": "
                                              << (violations.empty() ? "" : violations.front()));
  return document;
}

const rapidjson::Value& listed(const rapidjson::Value& list, const std::string& id) {
  for (const auto& entry : list.GetArray()) {
    if (entry["id"].GetString() == id) {
      return entry;
    }
  }
  BOOST_FAIL("no plugin '" << id << "' in the listing");
  throw std::logic_error("unreachable");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace stella::test
