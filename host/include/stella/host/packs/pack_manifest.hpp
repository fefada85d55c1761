// The pack manifest (pack-manifest.json, schemas/plugin-pack-manifest.schema.json): what a pack
// holds, with the SHA-256 of every file. Its exact bytes are what the pack signature covers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

inline constexpr const char* kPackManifestFileName = "pack-manifest.json";
inline constexpr const char* kPackSignatureFileName = "pack-manifest.sig";
inline constexpr const char* kPackManifestSchema = "plugin-pack-manifest.schema.json";
inline constexpr const char* kPackSignatureSchema = "plugin-pack-signature.schema.json";
/// Archive folder holding one folder per plugin: plugins/<id>/<file>.
inline constexpr const char* kPackPluginsFolder = "plugins";
inline constexpr const char* kPackFormat = "stella-plugin-pack";
inline constexpr std::uint32_t kPackFormatVersion = 1;

/// One file of a plugin: its name inside the plugin folder and its digest.
struct PackFile {
  std::string path;
  /// "sha256:<lower-hex>"
  std::string sha256;
  std::uint64_t size = 0;
};

/// One plugin of a pack, as its manifest.json describes it, plus its files.
struct PackPlugin {
  PluginManifest manifest;
  /// Sorted by path; always holds manifest.json and the library.
  std::vector<PackFile> files;
  const PackFile* file(std::string_view path) const;
};

struct PackManifest {
  std::string pack_id;
  std::string product_version;
  std::uint32_t abi = 0;
  /// Sorted by id.
  std::vector<PackPlugin> plugins;
  const PackPlugin* plugin(std::string_view id) const;
};

/// The manifest as pretty JSON text: deterministic (fixed member order, plugins and files sorted),
/// so the same plugins always give the same bytes and the same signature input.
std::string pack_manifest_text(const PackManifest& manifest);

/// Parses and validates against schemas/plugin-pack-manifest.schema.json. Throws
/// sdk::Error(invalid_input) starting with `origin` when the text is not a valid pack manifest.
PackManifest parse_pack_manifest(std::string_view text, std::string_view origin);

}  // namespace stella::host
