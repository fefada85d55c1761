// Reads a plugin's manifest.json and checks it completely before any of the plugin's code runs.
#pragma once

#include <filesystem>
#include <optional>

#include "plugins/plugin_problem.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// The name of the manifest file in every plugin directory.
inline constexpr const char* kManifestFileName = "manifest.json";
/// The embedded JSON Schema every manifest must match.
inline constexpr const char* kManifestSchema = "plugin-manifest.schema.json";

struct ManifestReading {
  /// Fully filled when `problem` is empty; otherwise the strings that could be read.
  PluginManifest manifest;
  std::optional<PluginProblem> problem;
};

/// Parses the manifest, validates it against schemas/plugin-manifest.schema.json, then applies the
/// rule the schema cannot express: the provides entry matching the kind holds exactly one item and
/// the others are empty. Never throws for a bad manifest: it is returned as `problem`.
ManifestReading read_plugin_manifest(const std::filesystem::path& manifest_path);

}  // namespace stella::host
