// Where plugins are looked for, in order: --plugin-dir, STELLA_PLUGIN_PATH, the install directory.
#include <algorithm>
#include <system_error>

#include "stella/host/packs/plugin_trust.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {
namespace {

constexpr const char* kSelfExecutable = "/proc/self/exe";

void append_once(PluginSearchPath& path, const std::filesystem::path& directory) {
  const std::filesystem::path normal = std::filesystem::absolute(directory).lexically_normal();
  if (std::find(path.directories.begin(), path.directories.end(), normal) ==
      path.directories.end()) {
    path.directories.push_back(normal);
  }
}

}  // namespace

std::filesystem::path plugin_install_directory() {
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink(kSelfExecutable, error);
  if (error) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     std::string(kSelfExecutable) + ": cannot read: " + error.message() +
                         "; expected a link to the running stella executable",
                     "run stella on Linux with /proc mounted, or name plugins with --plugin-dir");
  }
  return (executable.parent_path() / ".." / STELLA_PLUGIN_RELDIR).lexically_normal();
}

PluginSearchPath plugin_search_path(const std::vector<std::string>& plugin_dirs,
                                    const std::vector<std::string>& plugin_path_env) {
  PluginSearchPath path;
  for (const auto& directory : plugin_dirs) {
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--plugin-dir " + directory +
                           ": not a directory; expected a directory holding plugin folders (each "
                           "with a manifest.json) or one plugin folder",
                       "check the path given to --plugin-dir");
    }
    append_once(path, directory);
  }
  for (const auto& directory : plugin_path_env) {
    std::error_code error;
    if (std::filesystem::is_directory(directory, error)) {
      append_once(path, directory);
    }
  }
  append_once(path, plugin_install_directory());
  // Plugins shipped next to the executable share its trust; all others need a signed pack or
  // --allow-unsigned (docs/plugin-packs.md).
  path.trust = command_line_plugin_trust();
  path.trust.shipped_directories = {plugin_install_directory()};
  return path;
}

}  // namespace stella::host
