#include "stella/host/packs/pack_manifest.hpp"

#include <algorithm>

#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/plugins/plugin_names.hpp"
#include "stella/sdk/error.hpp"

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

std::vector<std::string> read_strings(const rapidjson::Value& array) {
  std::vector<std::string> values;
  for (const auto& item : array.GetArray()) {
    values.emplace_back(item.GetString());
  }
  return values;
}

rapidjson::Value plugin_json(const PackPlugin& plugin, Allocator& allocator) {
  const PluginManifest& manifest = plugin.manifest;
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("id", text(manifest.id, allocator), allocator);
  object.AddMember("version", text(manifest.version, allocator), allocator);
  object.AddMember("kind", text(std::string(plugin_kind_name(manifest.kind)), allocator),
                   allocator);
  object.AddMember("abi", manifest.abi, allocator);
  object.AddMember("library", text(manifest.library, allocator), allocator);
  rapidjson::Value edges(rapidjson::kArrayType);
  for (const auto& edge : manifest.edges) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("from", text(edge.from, allocator), allocator);
    item.AddMember("to", text(edge.to, allocator), allocator);
    edges.PushBack(item, allocator);
  }
  rapidjson::Value provides(rapidjson::kObjectType);
  provides.AddMember("edges", edges, allocator);
  provides.AddMember("algorithms", strings(manifest.algorithms, allocator), allocator);
  provides.AddMember("sourceFormats", strings(manifest.source_formats, allocator), allocator);
  object.AddMember("provides", provides, allocator);
  rapidjson::Value files(rapidjson::kArrayType);
  for (const auto& file : plugin.files) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("path", text(file.path, allocator), allocator);
    item.AddMember("sha256", text(file.sha256, allocator), allocator);
    item.AddMember("size", file.size, allocator);
    files.PushBack(item, allocator);
  }
  object.AddMember("files", files, allocator);
  return object;
}

}  // namespace

const PackFile* PackPlugin::file(std::string_view path) const {
  const auto it =
      std::find_if(files.begin(), files.end(), [&](const PackFile& f) { return f.path == path; });
  return it == files.end() ? nullptr : &*it;
}

const PackPlugin* PackManifest::plugin(std::string_view id) const {
  const auto it = std::find_if(plugins.begin(), plugins.end(),
                               [&](const PackPlugin& p) { return p.manifest.id == id; });
  return it == plugins.end() ? nullptr : &*it;
}

std::string pack_manifest_text(const PackManifest& manifest) {
  PackManifest sorted = manifest;
  std::sort(sorted.plugins.begin(), sorted.plugins.end(),
            [](const PackPlugin& a, const PackPlugin& b) { return a.manifest.id < b.manifest.id; });
  for (auto& plugin : sorted.plugins) {
    std::sort(plugin.files.begin(), plugin.files.end(),
              [](const PackFile& a, const PackFile& b) { return a.path < b.path; });
  }
  rapidjson::Document document(rapidjson::kObjectType);
  auto& allocator = document.GetAllocator();
  document.AddMember("format", rapidjson::StringRef(kPackFormat), allocator);
  document.AddMember("formatVersion", kPackFormatVersion, allocator);
  document.AddMember("packId", text(sorted.pack_id, allocator), allocator);
  document.AddMember("productVersion", text(sorted.product_version, allocator), allocator);
  document.AddMember("abi", sorted.abi, allocator);
  rapidjson::Value plugins(rapidjson::kArrayType);
  for (const auto& plugin : sorted.plugins) {
    plugins.PushBack(plugin_json(plugin, allocator), allocator);
  }
  document.AddMember("plugins", plugins, allocator);
  return json_to_string(document) + "\n";
}

PackManifest parse_pack_manifest(std::string_view text_bytes, std::string_view origin) {
  const rapidjson::Document document = parse_json(text_bytes, origin);
  require_schema_valid(document, kPackManifestSchema, origin);
  PackManifest manifest;
  manifest.pack_id = document["packId"].GetString();
  manifest.product_version = document["productVersion"].GetString();
  manifest.abi = document["abi"].GetUint();
  for (const auto& item : document["plugins"].GetArray()) {
    PackPlugin plugin;
    plugin.manifest.id = item["id"].GetString();
    plugin.manifest.version = item["version"].GetString();
    plugin.manifest.kind = *parse_plugin_kind(item["kind"].GetString());
    plugin.manifest.abi = item["abi"].GetUint();
    plugin.manifest.library = item["library"].GetString();
    const auto& provides = item["provides"];
    for (const auto& edge : provides["edges"].GetArray()) {
      plugin.manifest.edges.push_back({edge["from"].GetString(), edge["to"].GetString()});
    }
    plugin.manifest.algorithms = read_strings(provides["algorithms"]);
    plugin.manifest.source_formats = read_strings(provides["sourceFormats"]);
    for (const auto& file : item["files"].GetArray()) {
      plugin.files.push_back(
          {file["path"].GetString(), file["sha256"].GetString(), file["size"].GetUint64()});
    }
    if (manifest.plugin(plugin.manifest.id) != nullptr) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       std::string(origin) + ": plugin id '" + plugin.manifest.id +
                           "' appears twice; expected each plugin once",
                       "rebuild the pack with 'stella plugins pack'");
    }
    manifest.plugins.push_back(std::move(plugin));
  }
  return manifest;
}

}  // namespace stella::host
