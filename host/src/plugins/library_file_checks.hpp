// Checks of a plugin's library file that need no loading: it is there and it is an ELF object.
#pragma once

#include <filesystem>
#include <optional>

#include "plugins/plugin_problem.hpp"

namespace stella::host {

/// The problem with the library file named in a manifest, or nullopt when it is present, a
/// regular file and starts with the ELF magic bytes. Reads at most the first bytes of the file;
/// runs none of its code.
std::optional<PluginProblem> library_file_problem(const std::filesystem::path& library_path,
                                                  const std::filesystem::path& manifest_path);

}  // namespace stella::host
