// Discovers plugins from their manifests (no plugin code runs), loads them on demand, and hands out
// plugin objects by what they provide.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stella/sdk/sdk.hpp"

namespace stella::host {

/// A schema edge a step plugin provides.
struct SchemaEdge {
  std::string from;
  std::string to;
};

/// What a manifest.json says (schemas/plugin-manifest.schema.json).
struct PluginManifest {
  std::string id;
  std::string version;
  sdk::PluginKind kind = sdk::PluginKind::schema_step;
  std::uint32_t abi = 0;
  /// The library file name, relative to the manifest's directory.
  std::string library;
  std::string description;
  std::vector<SchemaEdge> edges;
  std::vector<std::string> algorithms;
  std::vector<std::string> source_formats;
  std::vector<std::string> capabilities;
};

/// Where a plugin stands. Zero is not a valid value.
enum class PluginStatus {
  /// Manifest valid; library not loaded yet (plans load only what they need).
  discovered = 1,
  /// Library loaded and descriptor cross-checked.
  loaded = 2,
  /// Something is wrong; `reason` says what. Never used.
  broken = 3,
};

/// One plugin found on the search path.
struct PluginRecord {
  std::filesystem::path directory;
  std::filesystem::path manifest_path;
  std::filesystem::path library_path;
  /// Filled as far as the manifest could be read.
  PluginManifest manifest;
  PluginStatus status = PluginStatus::discovered;
  /// Why the plugin is broken: names the file, what was found, what was expected, what to do.
  std::string reason;
  /// SHA-256 of the library file ("sha256:<hex>"); empty when unreadable.
  std::string library_digest;
  /// Descriptor from the loaded library (static storage of the plugin); null until loaded.
  const sdk::PluginDescriptor* descriptor = nullptr;
};

/// Where to look for plugins, in order.
struct PluginSearchPath {
  std::vector<std::filesystem::path> directories;
};

/// The host's ABI compatibility rule, in one place: a plugin is loadable exactly when its ABI
/// version equals the host's. Returns nullopt when compatible, else the reason
/// ("plugin ABI 2, host supports ABI 1").
std::optional<std::string> abi_incompatibility(std::uint32_t plugin_abi, std::uint32_t host_abi);

/// The search path from --plugin-dir, STELLA_PLUGIN_PATH and the install directory.
PluginSearchPath plugin_search_path(const std::vector<std::string>& plugin_dirs,
                                    const std::vector<std::string>& plugin_path_env);

/// The plugins found on a search path.
///
/// Thread-safety: not thread-safe. Libraries stay loaded for the life of the process.
class PluginRegistry {
 public:
  /// Reads and validates every manifest on the path (subdirectories holding a manifest.json).
  /// Never throws for a broken plugin: it is recorded with its reason.
  static PluginRegistry discover(const PluginSearchPath& path);

  const std::vector<PluginRecord>& plugins() const { return records_; }

  /// The usable (not broken) plugin with this id, or nullptr.
  const PluginRecord* find(std::string_view id) const;

  /// Loads every discovered plugin (for `plugins list`); failures are recorded, not thrown.
  void load_all();

  /// Loads (if needed) and creates the plugin with this id. Throws sdk::Error(refused) naming the
  /// reason when it is broken or of another kind.
  std::unique_ptr<sdk::SchemaStep> create_schema_step(std::string_view id);
  /// The reindexer providing `algorithm` ("sha512"). Throws sdk::Error(refused) listing the
  /// installed algorithms when none provides it.
  std::unique_ptr<sdk::Reindexer> create_reindexer(std::string_view algorithm);
  /// The importer reading `source_format`. Throws sdk::Error(refused) listing installed formats.
  std::unique_ptr<sdk::StorageImporter> create_importer(std::string_view source_format);

  /// Loads the plugin at `index` if it is not loaded yet; returns false (and records the reason)
  /// when it cannot be.
  bool ensure_loaded(std::size_t index);

 private:
  std::vector<PluginRecord> records_;
};

}  // namespace stella::host
