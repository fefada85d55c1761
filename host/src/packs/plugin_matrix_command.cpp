// `stella plugins matrix`: what the installed plugins cover, per pack.
#include <ostream>

#include "packs/pack_command_parts.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/packs/plugin_matrix.hpp"
#include "stella/sdk/abi.hpp"

namespace stella::host {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

rapidjson::Value strings(const std::vector<std::string>& values, Allocator& allocator) {
  rapidjson::Value array(rapidjson::kArrayType);
  for (const auto& value : values) {
    array.PushBack(text(value, allocator), allocator);
  }
  return array;
}

rapidjson::Value items_json(const std::vector<MatrixItem>& items, const char* key,
                            Allocator& allocator) {
  rapidjson::Value array(rapidjson::kArrayType);
  for (const auto& item : items) {
    rapidjson::Value object(rapidjson::kObjectType);
    object.AddMember(rapidjson::StringRef(key), text(item.name, allocator), allocator);
    object.AddMember("plugin", text(item.plugin, allocator), allocator);
    array.PushBack(object, allocator);
  }
  return array;
}

rapidjson::Value group_json(const MatrixGroup& group, Allocator& allocator) {
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("name", text(group.name, allocator), allocator);
  object.AddMember("plugins", strings(group.plugins, allocator), allocator);
  rapidjson::Value edges(rapidjson::kArrayType);
  for (std::size_t i = 0; i < group.edges.size(); ++i) {
    rapidjson::Value edge(rapidjson::kObjectType);
    edge.AddMember("from", text(group.edges[i].from, allocator), allocator);
    edge.AddMember("to", text(group.edges[i].to, allocator), allocator);
    edge.AddMember("plugin", text(group.edge_plugins[i], allocator), allocator);
    edges.PushBack(edge, allocator);
  }
  object.AddMember("edges", edges, allocator);
  object.AddMember("algorithms", items_json(group.algorithms, "algorithm", allocator), allocator);
  object.AddMember("sourceFormats", items_json(group.source_formats, "sourceFormat", allocator),
                   allocator);
  rapidjson::Value paths(rapidjson::kArrayType);
  for (const auto& path : group.paths) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("from", text(path.from, allocator), allocator);
    item.AddMember("to", text(path.to, allocator), allocator);
    item.AddMember("complete", path.complete, allocator);
    item.AddMember("via", strings(path.via, allocator), allocator);
    item.AddMember("plugins", strings(path.plugins, allocator), allocator);
    paths.PushBack(item, allocator);
  }
  object.AddMember("versionPaths", paths, allocator);
  return object;
}

void print_group(const MatrixGroup& group, std::ostream& out) {
  out << group.name << " (" << group.plugins.size() << " plugins)\n";
  out << "  schema edges:   ";
  for (std::size_t i = 0; i < group.edges.size(); ++i) {
    out << (i ? ", " : "") << group.edges[i].from << "→" << group.edges[i].to << " ("
        << group.edge_plugins[i] << ")";
  }
  out << (group.edges.empty() ? "-\n" : "\n");
  for (const auto& [label, items] : {std::pair{"  algorithms:     ", &group.algorithms},
                                     std::pair{"  source formats: ", &group.source_formats}}) {
    out << label;
    for (std::size_t i = 0; i < items->size(); ++i) {
      out << (i ? ", " : "") << (*items)[i].name;
    }
    out << (items->empty() ? "-\n" : "\n");
  }
  for (const auto& path : group.paths) {
    out << "  path " << path.from << " → " << path.to << ": ";
    if (!path.complete) {
      out << "incomplete (no chain of edges)\n";
      continue;
    }
    out << "complete via ";
    for (std::size_t i = 0; i < path.via.size(); ++i) {
      out << (i ? "→" : "") << path.via[i];
    }
    out << '\n';
  }
}

int run_matrix(Invocation& invocation) {
  const bool json = pack_output_is_json(invocation, "matrix");
  const PluginRegistry registry = PluginRegistry::discover(
      plugin_search_path(invocation.globals.plugin_dirs, invocation.globals.plugin_path_env));
  const PluginMatrix matrix = plugin_matrix(registry);
  if (json) {
    rapidjson::Document document(rapidjson::kObjectType);
    auto& allocator = document.GetAllocator();
    document.AddMember("hostAbi", sdk::kAbiVersion, allocator);
    document.AddMember("productVersion", rapidjson::StringRef(STELLA_VERSION), allocator);
    document.AddMember("versions", strings(matrix.versions, allocator), allocator);
    rapidjson::Value groups(rapidjson::kArrayType);
    for (const auto& group : matrix.groups) {
      groups.PushBack(group_json(group, allocator), allocator);
    }
    document.AddMember("groups", groups, allocator);
    document.AddMember("excluded", strings(matrix.excluded, allocator), allocator);
    invocation.out << json_to_string(document) << '\n';
    return kExitSuccess;
  }
  invocation.out << "schema versions known: ";
  for (std::size_t i = 0; i < matrix.versions.size(); ++i) {
    invocation.out << (i ? ", " : "") << matrix.versions[i];
  }
  invocation.out << (matrix.versions.empty() ? "-\n\n" : "\n\n");
  for (const auto& group : matrix.groups) {
    print_group(group, invocation.out);
    invocation.out << '\n';
  }
  for (const auto& excluded : matrix.excluded) {
    invocation.out << "not counted: " << excluded << '\n';
  }
  return kExitSuccess;
}

}  // namespace

void add_matrix_command(CommandTable& table) {
  table.add(Command{
      "plugins",
      "matrix",
      "show which schema edges, algorithms and formats the plugins cover",
      "",
      0,
      {},
      "From manifests only (nothing is loaded): for all usable plugins, and per pack (plus the\n"
      "shipped and unsigned plugins), the schema edges, hash algorithms and source formats, and\n"
      "for each pair of known schema versions whether a chain of edges connects them (e.g.\n"
      "1.0→2.0 complete via 1.0→1.1→2.0). Broken and untrusted plugins are not counted.\n"
      "With --format json the output follows schemas/plugin-matrix.schema.json.\n\n"
      "Examples:\n"
      "  stella plugins matrix\n"
      "  stella plugins matrix --format json | jq '.groups[0].versionPaths'\n\n"
      "Exit codes: 0 shown, 2 bad option.",
      run_matrix});
}

}  // namespace stella::host
