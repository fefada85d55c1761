// Installing a verified pack into a plugin directory (`stella plugins install`).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/packs/pack_manifest.hpp"

namespace stella::host {

struct InstalledPack {
  PackManifest manifest;
  std::string key_id;
  /// The plugin folders written, one per plugin.
  std::vector<std::filesystem::path> plugin_directories;
};

/// Verifies the pack (refusing it with sdk::Error(verification_failed) listing every problem),
/// then writes each plugin into `plugin_directory`/<id>/ with a copy of pack-manifest.json and
/// pack-manifest.sig beside its files (so the loader re-checks it at load time). Everything is
/// written into a staging folder first and then renamed into place; a plugin folder being replaced
/// is moved aside and put back if any rename fails.
InstalledPack install_pack(const std::filesystem::path& archive,
                           const std::filesystem::path& plugin_directory,
                           const std::optional<std::filesystem::path>& trusted_keys);

}  // namespace stella::host
