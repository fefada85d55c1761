// The coverage matrix of the usable plugins (`stella plugins matrix`): per pack (and for all of
// them together) which schema edges, algorithms and source formats are covered, and which version
// paths are complete.
#pragma once

#include <string>
#include <vector>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

struct MatrixItem {
  std::string name;  // "1.0→1.1", "sha512", "bundle-dir"
  std::string plugin;
};

/// A path between two store schema versions, through the group's edges.
struct VersionPath {
  std::string from;
  std::string to;
  bool complete = false;
  /// The versions visited, from first to last (empty when incomplete).
  std::vector<std::string> via;
  /// The plugin of each hop.
  std::vector<std::string> plugins;
};

/// One column of the matrix: a pack, the shipped plugins, the unsigned ones, or all together.
struct MatrixGroup {
  /// "all", "pack:<id>", "shipped", "unsigned"
  std::string name;
  std::vector<std::string> plugins;
  std::vector<SchemaEdge> edges;
  std::vector<std::string> edge_plugins;
  std::vector<MatrixItem> algorithms;
  std::vector<MatrixItem> source_formats;
  /// Every pair of known versions (from < to), complete or not.
  std::vector<VersionPath> paths;
};

struct PluginMatrix {
  /// Every schema version any usable plugin mentions, in version order.
  std::vector<std::string> versions;
  std::vector<MatrixGroup> groups;
  /// Plugins left out (broken or shadowed): "id: reason".
  std::vector<std::string> excluded;
};

/// Builds the matrix from manifests only (nothing is loaded). Paths are the shortest through the
/// group's edges; a path is complete when every hop has a plugin in the group.
PluginMatrix plugin_matrix(const PluginRegistry& registry);

/// Orders "major.minor" versions numerically ("1.10" after "1.9"); other strings sort after.
bool schema_version_less(const std::string& a, const std::string& b);

}  // namespace stella::host
