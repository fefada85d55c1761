// Shared helpers of the plugin tests: where the fixture cases are, scratch directories, lookups.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "stella/host/plugins/plugin_registry.hpp"
#include "support/run_cli_process.hpp"

namespace stella::test {

namespace fs = std::filesystem;

/// A fixture case directory: ${STELLA_TEST_PLUGIN_DIR}/<name> (tests/plugins/fixtures/<name>).
inline fs::path fixture_case(const std::string& name) {
  return fs::path(required_env("STELLA_TEST_PLUGIN_DIR")) / name;
}

/// The registry of exactly these fixture cases, in this order (no install directory, no env).
inline host::PluginRegistry discover_cases(std::initializer_list<std::string> cases) {
  host::PluginSearchPath path;
  // The fixtures come from no signed pack: load them as a plugin developer would.
  path.trust.allow_unsigned = true;
  for (const auto& name : cases) {
    path.directories.push_back(fixture_case(name));
  }
  return host::PluginRegistry::discover(path);
}

/// The records with this id, in search order.
inline std::vector<const host::PluginRecord*> records_with_id(const host::PluginRegistry& registry,
                                                              const std::string& id) {
  std::vector<const host::PluginRecord*> result;
  for (const auto& record : registry.plugins()) {
    if (record.manifest.id == id) {
      result.push_back(&record);
    }
  }
  return result;
}

/// The one record with this id; throws when there is not exactly one.
inline const host::PluginRecord& record_with_id(const host::PluginRegistry& registry,
                                                const std::string& id) {
  const auto records = records_with_id(registry, id);
  if (records.size() != 1) {
    throw std::runtime_error("expected one plugin '" + id + "', found " +
                             std::to_string(records.size()));
  }
  return *records.front();
}

inline std::size_t index_of(const host::PluginRegistry& registry, const std::string& id) {
  const auto& records = registry.plugins();
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].manifest.id == id) {
      return i;
    }
  }
  throw std::runtime_error("no plugin '" + id + "'");
}

/// A fresh directory under /tmp, removed with everything in it when the object goes away.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(const std::string& prefix = "stella-plugins-test") {
    std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// Copies a plugin folder (manifest.json and library) to `target` (created with its parents).
inline void copy_plugin(const fs::path& plugin_folder, const fs::path& target) {
  fs::create_directories(target);
  fs::copy(plugin_folder, target,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

}  // namespace stella::test
