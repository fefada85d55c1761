// The store's schema version graph, built from the schema-step plugins' manifests alone (no plugin
// code runs), and the shortest path through it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// One edge of the graph: a usable schema-step plugin's manifest edge.
struct VersionEdge {
  std::string plugin_id;
  std::string from;
  std::string to;
};

/// Every edge the usable (neither broken nor shadowed) schema-step plugins provide, ordered by
/// (from, to, plugin id). Reads manifests only.
std::vector<VersionEdge> installed_version_edges(const PluginRegistry& registry);

/// "1.0→1.1 (schema-1.0-to-1.1), 1.1→2.0 (schema-1.1-to-2.0)", or "none".
std::string describe_version_edges(const std::vector<VersionEdge>& edges);

/// The shortest path from `from` to `to` (breadth-first; among paths of equal length the one whose
/// edges come first in installed_version_edges order). Throws sdk::Error(refused) when there is
/// none: "no plugin provides a path 1.0 → 3.0; installed edges: ...". Throws
/// sdk::Error(invalid_input) when from equals to.
std::vector<VersionEdge> shortest_version_path(const std::vector<VersionEdge>& edges,
                                               std::string_view from, std::string_view to);

}  // namespace stella::host
