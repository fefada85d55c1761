#include "stella/host/packs/plugin_matrix.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "stella/host/plugins/plugin_names.hpp"

namespace stella::host {
namespace {

std::optional<std::pair<unsigned long, unsigned long>> parse_version(const std::string& text) {
  const auto dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()) {
    return std::nullopt;
  }
  try {
    std::size_t used_major = 0;
    std::size_t used_minor = 0;
    const unsigned long major = std::stoul(text.substr(0, dot), &used_major);
    const unsigned long minor = std::stoul(text.substr(dot + 1), &used_minor);
    if (used_major != dot || used_minor != text.size() - dot - 1) {
      return std::nullopt;
    }
    return std::make_pair(major, minor);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string group_name(const PluginRecord& record) {
  switch (record.origin.value_or(PluginOrigin::unsigned_plugin)) {
    case PluginOrigin::shipped:
      return "shipped";
    case PluginOrigin::signed_pack:
      return "pack:" + record.pack_id;
    case PluginOrigin::unsigned_plugin:
      return "unsigned";
  }
  return "unsigned";
}

/// Shortest path from → to over the group's edges (breadth-first; ties by version order).
VersionPath find_path(const MatrixGroup& group, const std::string& from, const std::string& to) {
  VersionPath path{from, to, false, {}, {}};
  std::map<std::string, std::pair<std::string, std::string>> came_from;  // version → (prev, plugin)
  std::deque<std::string> queue{from};
  std::set<std::string> seen{from};
  while (!queue.empty()) {
    const std::string current = queue.front();
    queue.pop_front();
    if (current == to) {
      break;
    }
    for (std::size_t i = 0; i < group.edges.size(); ++i) {
      const SchemaEdge& edge = group.edges[i];
      if (edge.from == current && seen.insert(edge.to).second) {
        came_from[edge.to] = {current, group.edge_plugins[i]};
        queue.push_back(edge.to);
      }
    }
  }
  if (!seen.count(to)) {
    return path;
  }
  path.complete = true;
  for (std::string at = to; at != from; at = came_from[at].first) {
    path.via.insert(path.via.begin(), at);
    path.plugins.insert(path.plugins.begin(), came_from[at].second);
  }
  path.via.insert(path.via.begin(), from);
  return path;
}

}  // namespace

bool schema_version_less(const std::string& a, const std::string& b) {
  const auto va = parse_version(a);
  const auto vb = parse_version(b);
  if (va && vb) {
    return *va < *vb;
  }
  if (va.has_value() != vb.has_value()) {
    return va.has_value();
  }
  return a < b;
}

PluginMatrix plugin_matrix(const PluginRegistry& registry) {
  PluginMatrix matrix;
  std::map<std::string, MatrixGroup> by_name;
  MatrixGroup all{"all", {}, {}, {}, {}, {}, {}};
  std::set<std::string> versions;
  for (const auto& record : registry.plugins()) {
    if (record.status == PluginStatus::broken || record.status == PluginStatus::shadowed) {
      matrix.excluded.push_back(
          (record.manifest.id.empty() ? record.manifest_path.string() : record.manifest.id) + " (" +
          std::string(plugin_status_name(record.status)) + "): " + record.reason);
      continue;
    }
    const std::string name = group_name(record);
    MatrixGroup& group =
        by_name.try_emplace(name, MatrixGroup{name, {}, {}, {}, {}, {}, {}}).first->second;
    for (MatrixGroup* target : {&group, &all}) {
      const PluginManifest& manifest = record.manifest;
      target->plugins.push_back(manifest.id);
      for (const auto& edge : manifest.edges) {
        target->edges.push_back(edge);
        target->edge_plugins.push_back(manifest.id);
      }
      for (const auto& algorithm : manifest.algorithms) {
        target->algorithms.push_back({algorithm, manifest.id});
      }
      for (const auto& format : manifest.source_formats) {
        target->source_formats.push_back({format, manifest.id});
      }
    }
    for (const auto& edge : record.manifest.edges) {
      versions.insert(edge.from);
      versions.insert(edge.to);
    }
  }
  matrix.versions.assign(versions.begin(), versions.end());
  std::sort(matrix.versions.begin(), matrix.versions.end(), schema_version_less);
  matrix.groups.push_back(std::move(all));
  for (auto& [name, group] : by_name) {
    matrix.groups.push_back(std::move(group));
  }
  for (auto& group : matrix.groups) {
    for (std::size_t i = 0; i < matrix.versions.size(); ++i) {
      for (std::size_t j = i + 1; j < matrix.versions.size(); ++j) {
        group.paths.push_back(find_path(group, matrix.versions[i], matrix.versions[j]));
      }
    }
  }
  return matrix;
}

}  // namespace stella::host
