// Discovers plugins from their manifests (no plugin code runs), loads them on demand, and hands out
// plugin objects by what they provide.
#pragma once

#include <cstdint>
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
  /// Another plugin with the same id comes earlier on the search path and wins; never used.
  shadowed = 4,
};

/// Whose word a plugin's files rest on (docs/plugin-packs.md). Zero is not a valid value.
enum class PluginOrigin {
  /// In the install directory next to the stella executable: trusted as shipped with it.
  shipped = 1,
  /// Installed from a pack whose signature and digests were checked against the trusted keys.
  signed_pack = 2,
  /// From no pack: loads only with --allow-unsigned (plugin development).
  unsigned_plugin = 3,
};

/// How discovery decides, before any dlopen, whether a plugin's files may be trusted.
struct PluginTrustPolicy {
  /// Search directories whose pack-less plugins have the trust of the stella executable itself
  /// (the install directory); plugins there that came from a pack are still checked against it.
  std::vector<std::filesystem::path> shipped_directories;
  /// Directory of *.pem public keys trusted to sign packs (--trusted-keys / STELLA_TRUSTED_KEYS).
  std::optional<std::filesystem::path> trusted_keys_directory;
  /// --allow-unsigned: plugins from no pack load (marked unsigned) instead of being refused.
  bool allow_unsigned = false;
};

/// One plugin found on the search path.
struct PluginRecord {
  /// The search-path entry it was found under (--plugin-dir, STELLA_PLUGIN_PATH or install dir).
  std::filesystem::path search_directory;
  /// The plugin's own directory (holds manifest.json and the library).
  std::filesystem::path directory;
  std::filesystem::path manifest_path;
  std::filesystem::path library_path;
  /// When manifest_valid, every field is checked; otherwise only the strings that could be read
  /// (id, version, library, description) are filled, for reporting.
  PluginManifest manifest;
  /// The manifest passed the schema and the kind/provides rule.
  bool manifest_valid = false;
  PluginStatus status = PluginStatus::discovered;
  /// Why the plugin is broken or shadowed: names the file, what was found and what was expected.
  std::string reason;
  /// What to do about it (rebuild against SDK ABI 1, fix the manifest, remove a duplicate...).
  std::string remedy;
  /// SHA-256 of the library file ("sha256:<hex>"); empty when unreadable.
  std::string library_digest;
  /// Descriptor from the loaded library (static storage of the plugin); null until loaded.
  const sdk::PluginDescriptor* descriptor = nullptr;
  /// The factory created an object of the manifest's kind that agrees with the manifest.
  bool factory_checked = false;
  /// Where its trust comes from; unset when discovery stopped before the trust check.
  std::optional<PluginOrigin> origin;
  /// For origin signed_pack: the pack id and the key id of its signer.
  std::string pack_id;
  std::string signer_key_id;
};

/// Where to look for plugins, in order: the first plugin of an id wins.
struct PluginSearchPath {
  std::vector<std::filesystem::path> directories;
  /// Checked for every plugin before it can be loaded (host/src/packs/plugin_trust_check.cpp).
  PluginTrustPolicy trust;
};

/// The host's ABI compatibility rule, in one place: a plugin is loadable exactly when its ABI
/// version equals the host's. Returns nullopt when compatible, else the reason
/// ("plugin ABI 2, this host supports ABI 1 — rebuild the plugin against SDK ABI 1").
std::optional<std::string> abi_incompatibility(std::uint32_t plugin_abi, std::uint32_t host_abi);

/// The install directory of plugins: <directory of the running executable>/../lib/stella/plugins
/// (found through /proc/self/exe, so a copied or installed `stella` finds its own plugins).
std::filesystem::path plugin_install_directory();

/// The search path: every --plugin-dir in order, then STELLA_PLUGIN_PATH's entries, then the
/// install directory; made absolute, repeated directories kept once (first place counts). Its trust
/// policy treats the install directory as shipped and takes the trusted keys and --allow-unsigned
/// from command_line_plugin_trust() (stella/host/packs/plugin_trust.hpp).
/// Throws stella::sdk::Error(invalid_input) when a --plugin-dir is not a directory (a typo there
/// must not silently fall back to other plugins); missing STELLA_PLUGIN_PATH entries are skipped.
PluginSearchPath plugin_search_path(const std::vector<std::string>& plugin_dirs,
                                    const std::vector<std::string>& plugin_path_env);

/// The plugins found on a search path.
///
/// Thread-safety: not thread-safe. Libraries stay loaded for the life of the process, so objects
/// created by plugin code may be kept (and destroyed) at any time before the process exits.
class PluginRegistry {
 public:
  /// Reads and validates every manifest on the path: each immediate subdirectory of a search
  /// directory that holds a manifest.json is one plugin, and so is a search directory that itself
  /// holds one. No plugin code runs. Never throws for a broken plugin: it is recorded with its
  /// reason. Two plugins with the same id in one search directory are both broken; one in a later
  /// search directory than another of the same id is shadowed.
  static PluginRegistry discover(const PluginSearchPath& path);

  const std::vector<PluginRecord>& plugins() const { return records_; }

  /// The search path the plugins were discovered on.
  const PluginSearchPath& search_path() const { return search_path_; }

  /// The usable (neither broken nor shadowed) plugin with this id, or nullptr.
  const PluginRecord* find(std::string_view id) const;

  /// Loads every discovered plugin and creates one object of each to prove its factory works (for
  /// `plugins list`); failures are recorded, not thrown.
  void load_all();

  /// Loads (if needed), creates and checks the plugin at `index` once, like load_all does for
  /// every plugin; returns false (and records the reason) when it is broken.
  bool check(std::size_t index);

  /// Loads (if needed) and creates the plugin with this id. Throws sdk::Error(refused) naming the
  /// reason when it is missing, broken, shadowed or of another kind.
  std::unique_ptr<sdk::SchemaStep> create_schema_step(std::string_view id);
  /// The reindexer providing `algorithm` ("sha512"). Throws sdk::Error(refused) listing the
  /// installed algorithms when none provides it, or naming both when two plugins do.
  std::unique_ptr<sdk::Reindexer> create_reindexer(std::string_view algorithm);
  /// The importer reading `source_format`. Throws sdk::Error(refused) listing installed formats
  /// when none reads it, or naming both when two plugins do.
  std::unique_ptr<sdk::StorageImporter> create_importer(std::string_view source_format);

  /// The usable schema-step plugin providing the edge from → to (from manifests only; nothing is
  /// loaded). Throws sdk::Error(refused) listing the installed edges when none provides it, or
  /// naming both when two plugins do.
  const PluginRecord& schema_step_for_edge(std::string_view from, std::string_view to) const;

  /// Loads the plugin at `index` if it is not loaded yet (no object is created); returns false (and
  /// records the reason) when it cannot be.
  bool ensure_loaded(std::size_t index);

 private:
  /// Creates one object of the plugin at `index` and checks it against the manifest: its dynamic
  /// type is the manifest's kind, and it reports the manifest's edge, algorithm or source format.
  /// Returns null (and records the reason) when the plugin is or becomes broken.
  std::unique_ptr<sdk::Plugin> instantiate(std::size_t index);
  /// The index of the usable plugin `id` of `kind`; throws sdk::Error(refused) otherwise.
  std::size_t usable_index(std::string_view id, sdk::PluginKind kind) const;
  /// Index of the one usable plugin of `kind` whose manifest provides `item`.
  std::size_t unique_provider(sdk::PluginKind kind, std::string_view item) const;
  void mark_broken(std::size_t index, std::string reason, std::string remedy);

  PluginSearchPath search_path_;
  std::vector<PluginRecord> records_;
};

}  // namespace stella::host
