// Shared helpers of the pack tests: scratch folders, keys, packs of the marker fixture, shell.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "support/run_cli_process.hpp"

namespace stella::test {

namespace fs = std::filesystem;

/// A fresh directory under /tmp, removed with everything in it when the object goes away.
class PackScratch {
 public:
  PackScratch();
  ~PackScratch();
  PackScratch(const PackScratch&) = delete;
  PackScratch& operator=(const PackScratch&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// The marker fixture plugin folder (tests/packs/fixtures/marker, built).
fs::path marker_plugin_folder();

/// Runs `stella plugins keygen --output-dir <dir>/keys-<name> --name <name>`, copies the public
/// key alone into <dir>/trusted-<name>/ and returns that trusted-keys folder. The private key is
/// <dir>/keys-<name>/<name>.key.
fs::path make_keys(const fs::path& dir, const std::string& name);

/// `stella plugins pack` of the marker fixture into <dir>/<file>, signed by key `name`.
fs::path make_marker_pack(const fs::path& dir, const std::string& name,
                          const std::string& file = "marker-pack.tar.gz");

/// Runs stella with the marker directory set, so the fixture reports whether its code ran.
ProcessResult run_stella_marked(const std::vector<std::string>& args, const fs::path& marker_dir);

/// True when the marker fixture's code ran (its marker file exists in `marker_dir`).
bool marker_present(const fs::path& marker_dir);

/// Runs a shell script in `dir`; fails the test when it exits non-zero.
void shell(const std::string& script, const fs::path& dir);

/// Re-signs <dir>/pack-manifest.json with key `name` of `keys_root` (as make_keys made it), the
/// way `stella plugins pack` does, rewriting <dir>/pack-manifest.sig.
void resign_pack_manifest(const fs::path& dir, const fs::path& keys_root, const std::string& name);

/// Parses JSON printed by stella and checks it against the embedded schema.
rapidjson::Document schema_checked_json(const std::string& text, const std::string& schema);

/// The entry with this id in a `plugins list --format json` array; fails the test when absent.
const rapidjson::Value& listed(const rapidjson::Value& list, const std::string& id);

bool contains(const std::string& text, const std::string& part);

}  // namespace stella::test

#define CHECK_CONTAINS(text, part)                        \
  BOOST_CHECK_MESSAGE(stella::test::contains(text, part), \
                      "expected \"" << (part) << "\" in: " << (text))
