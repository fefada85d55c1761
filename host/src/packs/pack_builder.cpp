#include "stella/host/packs/pack_builder.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "packs/bytes_sha256.hpp"
#include "packs/plugin_library_format.hpp"
#include "plugins/manifest_reader.hpp"
#include "stella/host/packs/pack_archive.hpp"
#include "stella/host/packs/pack_signature.hpp"
#include "stella/host/packs/signing_keys.hpp"
#include "stella/sdk/abi.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

std::string read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, path.string() + ": cannot read",
                     "check the file's permissions");
  }
  return bytes.str();
}

/// The plugin folders named on the command line: each given folder is one plugin when it holds a
/// manifest.json, else every immediate subfolder that holds one.
std::vector<std::filesystem::path> plugin_folders(const std::vector<std::filesystem::path>& given) {
  std::vector<std::filesystem::path> folders;
  for (const auto& directory : given) {
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) {
      throw sdk::Error(
          sdk::ErrorCode::invalid_input,
          directory.string() +
              ": not a directory; expected a plugin folder (with "
              "manifest.json) or a folder of plugin folders",
          "pass the folder the build put the plugins in, e.g. build/lib/stella/plugins");
    }
    if (std::filesystem::is_regular_file(directory / kManifestFileName, error)) {
      folders.push_back(directory);
      continue;
    }
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
      if (entry.is_directory() &&
          std::filesystem::is_regular_file(entry.path() / kManifestFileName)) {
        found.push_back(entry.path());
      }
    }
    if (found.empty()) {
      throw sdk::Error(
          sdk::ErrorCode::invalid_input,
          directory.string() + ": holds no manifest.json and no plugin folder with one",
          "build the plugins first, then pass their output folder");
    }
    std::sort(found.begin(), found.end());
    folders.insert(folders.end(), found.begin(), found.end());
  }
  return folders;
}

/// The plugin's files as the pack holds them: every plain file of its folder except a pack
/// manifest or signature left by an earlier install. A pack's plugin folders are flat.
std::map<std::string, std::string> plugin_files(const std::filesystem::path& folder) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name == kPackManifestFileName || name == kPackSignatureFileName) {
      continue;
    }
    if (entry.is_symlink() || !entry.is_regular_file()) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       entry.path().string() +
                           ": not a plain file; a plugin folder in a pack holds "
                           "only plain files (manifest.json, the library, data)",
                       "remove it from the plugin folder or copy the plugin to a clean folder");
    }
    files.emplace(name, read_file_bytes(entry.path()));
  }
  return files;
}

}  // namespace

BuiltPack build_pack(const PackRequest& request) {
  // Read the key first: a wrong --key should fail before any work.
  const EvpKey key = read_private_key(request.private_key);
  PackManifest manifest;
  manifest.pack_id = request.pack_id;
  manifest.product_version = request.product_version;
  manifest.abi = sdk::kAbiVersion;
  PackContents contents;
  std::map<std::string, std::filesystem::path> seen;
  for (const auto& folder : plugin_folders(request.plugin_directories)) {
    ManifestReading reading = read_plugin_manifest(folder / kManifestFileName);
    if (reading.problem) {
      throw sdk::Error(sdk::ErrorCode::invalid_input, reading.problem->reason,
                       reading.problem->remedy);
    }
    PackPlugin plugin;
    plugin.manifest = std::move(reading.manifest);
    const std::string& id = plugin.manifest.id;
    if (plugin.manifest.abi != sdk::kAbiVersion) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       (folder / kManifestFileName).string() + ": plugin '" + id + "' says ABI " +
                           std::to_string(plugin.manifest.abi) + ", this stella packs ABI " +
                           std::to_string(sdk::kAbiVersion),
                       "rebuild the plugin with the SDK of this stella");
    }
    if (const auto [it, inserted] = seen.emplace(id, folder); !inserted) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "plugin id '" + id + "' is in both " + it->second.string() + " and " +
                           folder.string() + "; expected each plugin once in a pack",
                       "pass only one of the two folders");
    }
    const auto files = plugin_files(folder);
    if (!files.count(plugin.manifest.library)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       (folder / plugin.manifest.library).string() +
                           ": missing; the manifest names it as the plugin's library",
                       "build the plugin before packing it");
    }
    if (auto why = shared_object_problem(files.at(plugin.manifest.library))) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       (folder / plugin.manifest.library).string() +
                           ": the manifest names it as the plugin's library, but it is " + *why,
                       "pack the shared library the plugin's build produced (built with "
                       "stella_add_plugin)");
    }
    for (const auto& [name, bytes] : files) {
      plugin.files.push_back({name, bytes_sha256(bytes), bytes.size()});
      contents.files.emplace(std::string(kPackPluginsFolder) + "/" + id + "/" + name, bytes);
    }
    manifest.plugins.push_back(std::move(plugin));
  }
  const std::string manifest_text = pack_manifest_text(manifest);
  // What we sign must be what readers accept.
  manifest = parse_pack_manifest(manifest_text, kPackManifestFileName);
  contents.files.emplace(kPackManifestFileName, manifest_text);
  contents.files.emplace(kPackSignatureFileName, sign_pack_manifest(manifest_text, key.get()));
  write_pack_archive(request.output, contents);
  return {std::move(manifest), signing_key_id(key.get())};
}

}  // namespace stella::host
