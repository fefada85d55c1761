#include "stella/host/plugins/plugin_names.hpp"

namespace stella::host {

std::string_view plugin_kind_name(sdk::PluginKind kind) {
  switch (kind) {
    case sdk::PluginKind::schema_step:
      return "schema-step";
    case sdk::PluginKind::reindexer:
      return "reindexer";
    case sdk::PluginKind::storage_importer:
      return "storage-importer";
  }
  return "unknown-kind";
}

std::optional<sdk::PluginKind> parse_plugin_kind(std::string_view name) {
  for (const auto kind : {sdk::PluginKind::schema_step, sdk::PluginKind::reindexer,
                          sdk::PluginKind::storage_importer}) {
    if (plugin_kind_name(kind) == name) {
      return kind;
    }
  }
  return std::nullopt;
}

std::string_view plugin_status_name(PluginStatus status) {
  switch (status) {
    case PluginStatus::discovered:
      return "discovered";
    case PluginStatus::loaded:
      return "loaded";
    case PluginStatus::broken:
      return "broken";
    case PluginStatus::shadowed:
      return "shadowed";
  }
  return "unknown-status";
}

std::string_view plugin_origin_name(PluginOrigin origin) {
  switch (origin) {
    case PluginOrigin::shipped:
      return "shipped";
    case PluginOrigin::signed_pack:
      return "signed-pack";
    case PluginOrigin::unsigned_plugin:
      return "unsigned";
  }
  return "unknown-origin";
}

std::string describe_provides(const PluginManifest& manifest) {
  std::string text;
  const auto append = [&text](const std::string& item) {
    text += (text.empty() ? "" : ", ") + item;
  };
  for (const auto& edge : manifest.edges) {
    append(edge.from + "→" + edge.to);
  }
  for (const auto& algorithm : manifest.algorithms) {
    append(algorithm);
  }
  for (const auto& format : manifest.source_formats) {
    append(format);
  }
  return text;
}

}  // namespace stella::host
