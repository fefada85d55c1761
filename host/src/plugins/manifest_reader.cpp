#include "plugins/manifest_reader.hpp"

#include <string>
#include <vector>

#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"
#include "stella/host/plugins/plugin_names.hpp"

namespace stella::host {
namespace {

/// Manifests are a few hundred bytes; a larger file is not a manifest.
constexpr std::size_t kMaxManifestBytes = 1024 * 1024;

const char* const kManifestRemedy =
    "correct manifest.json (its fields are described in docs/plugin-author-guide.md), then "
    "rebuild or reinstall the plugin";

std::string string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) {
    return {};
  }
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) {
    return {};
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::vector<std::string> string_array(const rapidjson::Value& object, const char* name) {
  std::vector<std::string> result;
  const auto it = object.FindMember(name);
  if (it != object.MemberEnd()) {
    for (const auto& item : it->value.GetArray()) {
      result.emplace_back(item.GetString(), item.GetStringLength());
    }
  }
  return result;
}

/// Fills what can be shown even when the manifest is invalid.
void read_strings(const rapidjson::Value& document, PluginManifest& manifest) {
  manifest.id = string_member(document, "id");
  manifest.version = string_member(document, "version");
  manifest.library = string_member(document, "library");
  manifest.description = string_member(document, "description");
}

/// Fills the typed fields; the document has passed the schema, so every shape is known.
void read_typed(const rapidjson::Value& document, PluginManifest& manifest) {
  manifest.kind = *parse_plugin_kind(document["kind"].GetString());
  manifest.abi = document["abi"].GetUint();
  const rapidjson::Value& provides = document["provides"];
  if (const auto edges = provides.FindMember("edges"); edges != provides.MemberEnd()) {
    for (const auto& edge : edges->value.GetArray()) {
      manifest.edges.push_back({edge["from"].GetString(), edge["to"].GetString()});
    }
  }
  manifest.algorithms = string_array(provides, "algorithms");
  manifest.source_formats = string_array(provides, "sourceFormats");
  manifest.capabilities = string_array(document, "capabilities");
}

struct ProvidesEntry {
  sdk::PluginKind kind;
  const char* json_name;
  std::size_t count;
  const char* example;
};

/// The rule the schema leaves to code: a plugin provides exactly one thing of its own kind (the SDK
/// objects report one edge, one algorithm, one format) and nothing of the other kinds.
std::vector<std::string> provides_problems(const PluginManifest& manifest) {
  const ProvidesEntry entries[] = {
      {sdk::PluginKind::schema_step, "edges", manifest.edges.size(),
       R"([{"from": "1.0", "to": "1.1"}])"},
      {sdk::PluginKind::reindexer, "algorithms", manifest.algorithms.size(), R"(["sha512"])"},
      {sdk::PluginKind::storage_importer, "sourceFormats", manifest.source_formats.size(),
       R"(["bundle-dir"])"}};
  std::vector<std::string> problems;
  const std::string kind(plugin_kind_name(manifest.kind));
  for (const auto& entry : entries) {
    if (entry.kind == manifest.kind && entry.count != 1) {
      problems.push_back("kind '" + kind + "' needs exactly one item in provides." +
                         entry.json_name + ", found " + std::to_string(entry.count) +
                         " (for example \"" + entry.json_name + "\": " + entry.example +
                         "; a plugin that provides several is split into one plugin each)");
    } else if (entry.kind != manifest.kind && entry.count != 0) {
      problems.push_back("kind '" + kind + "' provides no " + entry.json_name + ", found " +
                         std::to_string(entry.count) + " in provides." + entry.json_name +
                         " (they belong to kind '" + std::string(plugin_kind_name(entry.kind)) +
                         "')");
    }
  }
  return problems;
}

}  // namespace

ManifestReading read_plugin_manifest(const std::filesystem::path& manifest_path) {
  ManifestReading reading;
  rapidjson::Document document;
  try {
    document = parse_json_file(manifest_path, kMaxManifestBytes);
  } catch (const sdk::Error& e) {
    reading.problem = PluginProblem{e.what(), std::string(kManifestRemedy)};
    return reading;
  }
  read_strings(document, reading.manifest);
  const std::vector<std::string> violations = schema_violations(document, kManifestSchema);
  if (!violations.empty()) {
    std::string reason =
        manifest_path.string() + ": does not match schemas/" + kManifestSchema + ": ";
    for (std::size_t i = 0; i < violations.size(); ++i) {
      reason += (i == 0 ? "" : "; ") + violations[i];
    }
    reading.problem = PluginProblem{reason, kManifestRemedy};
    return reading;
  }
  read_typed(document, reading.manifest);
  const std::vector<std::string> problems = provides_problems(reading.manifest);
  if (!problems.empty()) {
    std::string reason = manifest_path.string() + ": ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
      reason += (i == 0 ? "" : "; ") + problems[i];
    }
    reading.problem = PluginProblem{reason, kManifestRemedy};
  }
  return reading;
}

}  // namespace stella::host
