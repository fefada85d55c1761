// Building a pack from built plugin folders (`stella plugins pack`).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "stella/host/packs/pack_manifest.hpp"

namespace stella::host {

struct PackRequest {
  std::filesystem::path output;
  std::filesystem::path private_key;
  /// Each a plugin folder (holding manifest.json) or a folder of plugin folders.
  std::vector<std::filesystem::path> plugin_directories;
  std::string pack_id;
  std::string product_version;
};

struct BuiltPack {
  PackManifest manifest;
  std::string key_id;
};

/// Reads every plugin's manifest (validated like the loader does; no plugin code runs), refuses
/// broken manifests, a manifest for another ABI and duplicate ids, digests every file, writes and
/// signs the pack manifest and writes the archive. Throws sdk::Error(invalid_input) naming the
/// plugin folder or file that is wrong.
BuiltPack build_pack(const PackRequest& request);

}  // namespace stella::host
