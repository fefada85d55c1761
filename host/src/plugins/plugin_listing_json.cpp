#include "plugins/plugin_listing_json.hpp"

#include "stella/host/plugins/plugin_names.hpp"

namespace stella::host {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

rapidjson::Value text_or_null(const std::string& value, Allocator& allocator) {
  return value.empty() ? rapidjson::Value(rapidjson::kNullType) : text(value, allocator);
}

rapidjson::Value strings(const std::vector<std::string>& values, Allocator& allocator) {
  rapidjson::Value array(rapidjson::kArrayType);
  for (const auto& value : values) {
    array.PushBack(text(value, allocator), allocator);
  }
  return array;
}

rapidjson::Value provides_json(const PluginManifest& manifest, Allocator& allocator) {
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
  return provides;
}

rapidjson::Value record_json(const PluginRecord& record, Allocator& allocator) {
  const PluginManifest& manifest = record.manifest;
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("id", text(manifest.id, allocator), allocator);
  object.AddMember("version", text(manifest.version, allocator), allocator);
  if (record.manifest_valid) {
    object.AddMember("kind", text(std::string(plugin_kind_name(manifest.kind)), allocator),
                     allocator);
    object.AddMember("abi", manifest.abi, allocator);
  } else {
    object.AddMember("kind", rapidjson::Value(rapidjson::kNullType), allocator);
    object.AddMember("abi", rapidjson::Value(rapidjson::kNullType), allocator);
  }
  object.AddMember("description", text(manifest.description, allocator), allocator);
  object.AddMember("provides", provides_json(manifest, allocator), allocator);
  object.AddMember("capabilities", strings(manifest.capabilities, allocator), allocator);
  object.AddMember("status", text(std::string(plugin_status_name(record.status)), allocator),
                   allocator);
  object.AddMember("reason", text_or_null(record.reason, allocator), allocator);
  object.AddMember("remedy", text_or_null(record.remedy, allocator), allocator);
  object.AddMember("file", text_or_null(record.library_path.string(), allocator), allocator);
  object.AddMember("digest", text_or_null(record.library_digest, allocator), allocator);
  object.AddMember("manifest", text(record.manifest_path.string(), allocator), allocator);
  object.AddMember("directory", text(record.directory.string(), allocator), allocator);
  object.AddMember("searchDirectory", text(record.search_directory.string(), allocator), allocator);
  object.AddMember("factoryChecked", record.factory_checked, allocator);
  object.AddMember("trust",
                   record.origin ? text(std::string(plugin_origin_name(*record.origin)), allocator)
                                 : rapidjson::Value(rapidjson::kNullType),
                   allocator);
  object.AddMember("pack", text_or_null(record.pack_id, allocator), allocator);
  object.AddMember("signer", text_or_null(record.signer_key_id, allocator), allocator);
  return object;
}

rapidjson::Value descriptor_json(const sdk::PluginDescriptor* descriptor, Allocator& allocator) {
  if (descriptor == nullptr) {
    return rapidjson::Value(rapidjson::kNullType);
  }
  // Only a loaded plugin has a descriptor, and loading has checked every member of it.
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("abiVersion", descriptor->abi_version, allocator);
  object.AddMember("id", text(descriptor->id, allocator), allocator);
  object.AddMember("version", text(descriptor->version, allocator), allocator);
  object.AddMember("kind", text(std::string(plugin_kind_name(descriptor->kind)), allocator),
                   allocator);
  return object;
}

}  // namespace

rapidjson::Document plugin_list_json(const std::vector<PluginRecord>& records) {
  rapidjson::Document document(rapidjson::kArrayType);
  for (const auto& record : records) {
    document.PushBack(record_json(record, document.GetAllocator()), document.GetAllocator());
  }
  return document;
}

rapidjson::Document plugin_inspection_json(const PluginRecord& record,
                                           const std::vector<const PluginRecord*>& same_id) {
  rapidjson::Document document;
  Allocator& allocator = document.GetAllocator();
  document.SetObject();
  rapidjson::Value plugin = record_json(record, allocator);
  for (auto& member : plugin.GetObject()) {
    document.AddMember(member.name, member.value, allocator);
  }
  document.AddMember("hostAbi", sdk::kAbiVersion, allocator);
  document.AddMember("descriptor", descriptor_json(record.descriptor, allocator), allocator);
  rapidjson::Value others(rapidjson::kArrayType);
  for (const PluginRecord* other : same_id) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("manifest", text(other->manifest_path.string(), allocator), allocator);
    item.AddMember("status", text(std::string(plugin_status_name(other->status)), allocator),
                   allocator);
    item.AddMember("reason", text_or_null(other->reason, allocator), allocator);
    others.PushBack(item, allocator);
  }
  document.AddMember("sameId", others, allocator);
  return document;
}

}  // namespace stella::host
