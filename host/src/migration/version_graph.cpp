// The version graph from manifests, and breadth-first search for the shortest path.
#include "stella/host/migration/version_graph.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

bool usable_schema_step(const PluginRecord& record) {
  return record.manifest_valid && record.manifest.kind == sdk::PluginKind::schema_step &&
         record.status != PluginStatus::broken && record.status != PluginStatus::shadowed;
}

}  // namespace

std::vector<VersionEdge> installed_version_edges(const PluginRegistry& registry) {
  std::vector<VersionEdge> edges;
  for (const PluginRecord& record : registry.plugins()) {
    if (!usable_schema_step(record)) {
      continue;
    }
    for (const SchemaEdge& edge : record.manifest.edges) {
      edges.push_back(VersionEdge{record.manifest.id, edge.from, edge.to});
    }
  }
  std::sort(edges.begin(), edges.end(), [](const VersionEdge& a, const VersionEdge& b) {
    return std::tie(a.from, a.to, a.plugin_id) < std::tie(b.from, b.to, b.plugin_id);
  });
  return edges;
}

std::string describe_version_edges(const std::vector<VersionEdge>& edges) {
  if (edges.empty()) {
    return "none";
  }
  std::string text;
  for (const VersionEdge& edge : edges) {
    text +=
        (text.empty() ? "" : ", ") + edge.from + "\u2192" + edge.to + " (" + edge.plugin_id + ")";
  }
  return text;
}

std::vector<VersionEdge> shortest_version_path(const std::vector<VersionEdge>& edges,
                                               std::string_view from, std::string_view to) {
  if (from == to) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--from-version and --to-version are both " + std::string(from) +
                         "; a migration needs two different versions",
                     "name the version the store is at and the one it should reach");
  }
  // Breadth-first from `from`; each version remembers the edge it was first reached by. Edges are
  // tried in their sorted order, so the path found is the same on every run.
  std::map<std::string, std::optional<std::size_t>> reached_by;
  reached_by.emplace(std::string(from), std::nullopt);
  std::deque<std::string> frontier{std::string(from)};
  while (!frontier.empty() && !reached_by.count(std::string(to))) {
    const std::string version = frontier.front();
    frontier.pop_front();
    for (std::size_t index = 0; index < edges.size(); ++index) {
      const VersionEdge& edge = edges[index];
      if (edge.from == version && !reached_by.count(edge.to)) {
        reached_by.emplace(edge.to, index);
        frontier.push_back(edge.to);
      }
    }
  }
  const auto target = reached_by.find(std::string(to));
  if (target == reached_by.end()) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "no plugin provides a path " + std::string(from) + " \u2192 " +
                         std::string(to) + "; installed edges: " + describe_version_edges(edges),
                     "install the schema-step plugins for the missing edges (`stella plugins "
                     "list` shows what is installed), or choose versions the installed edges "
                     "connect");
  }
  std::vector<VersionEdge> path;
  for (std::optional<std::size_t> step = target->second; step;
       step = reached_by.at(edges[*step].from)) {
    path.push_back(edges[*step]);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace stella::host
