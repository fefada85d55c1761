// The words plugin kinds and statuses are written as in manifests, listings and messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// "schema-step", "reindexer" or "storage-importer" (the manifest's "kind").
std::string_view plugin_kind_name(sdk::PluginKind kind);

/// The kind named `name` as a manifest spells it, or nullopt for any other word.
std::optional<sdk::PluginKind> parse_plugin_kind(std::string_view name);

/// "discovered", "loaded", "broken" or "shadowed".
std::string_view plugin_status_name(PluginStatus status);

/// "shipped", "signed-pack" or "unsigned" (docs/plugin-packs.md).
std::string_view plugin_origin_name(PluginOrigin origin);

/// What a plugin provides, for a person: "1.0→1.1", "sha256", "bundle-dir"; several joined by ", ".
std::string describe_provides(const PluginManifest& manifest);

}  // namespace stella::host
