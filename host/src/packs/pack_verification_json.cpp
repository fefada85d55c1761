#include "packs/pack_command_parts.hpp"
#include "stella/host/plugins/plugin_names.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

}  // namespace

bool pack_output_is_json(const Invocation& invocation, const char* verb) {
  const std::string& format = invocation.globals.format;
  if (format.empty() || format == "text") {
    return false;
  }
  if (format == "json") {
    return true;
  }
  throw sdk::Error(
      sdk::ErrorCode::invalid_input,
      "--format is '" + format + "'; 'stella plugins " + verb + "' writes text or json",
      "use --format text or --format json");
}

rapidjson::Document pack_verification_json(const std::filesystem::path& archive,
                                           const PackVerification& verification) {
  rapidjson::Document document(rapidjson::kObjectType);
  auto& allocator = document.GetAllocator();
  document.AddMember("pack", text(archive.string(), allocator), allocator);
  document.AddMember("verified", verification.problems.empty(), allocator);
  document.AddMember("signer",
                     verification.key_id.empty() ? rapidjson::Value(rapidjson::kNullType)
                                                 : text(verification.key_id, allocator),
                     allocator);
  if (verification.manifest) {
    const PackManifest& manifest = *verification.manifest;
    document.AddMember("packId", text(manifest.pack_id, allocator), allocator);
    document.AddMember("productVersion", text(manifest.product_version, allocator), allocator);
    document.AddMember("abi", manifest.abi, allocator);
    rapidjson::Value plugins(rapidjson::kArrayType);
    for (const auto& plugin : manifest.plugins) {
      rapidjson::Value item(rapidjson::kObjectType);
      item.AddMember("id", text(plugin.manifest.id, allocator), allocator);
      item.AddMember("version", text(plugin.manifest.version, allocator), allocator);
      item.AddMember("kind", text(std::string(plugin_kind_name(plugin.manifest.kind)), allocator),
                     allocator);
      item.AddMember("provides", text(describe_provides(plugin.manifest), allocator), allocator);
      plugins.PushBack(item, allocator);
    }
    document.AddMember("plugins", plugins, allocator);
  } else {
    document.AddMember("packId", rapidjson::Value(rapidjson::kNullType), allocator);
    document.AddMember("productVersion", rapidjson::Value(rapidjson::kNullType), allocator);
    document.AddMember("abi", rapidjson::Value(rapidjson::kNullType), allocator);
    document.AddMember("plugins", rapidjson::Value(rapidjson::kArrayType), allocator);
  }
  rapidjson::Value problems(rapidjson::kArrayType);
  for (const auto& problem : verification.problems) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("file", text(problem.file, allocator), allocator);
    item.AddMember("check", text(problem.check, allocator), allocator);
    item.AddMember("detail", text(problem.detail, allocator), allocator);
    item.AddMember("remedy", text(problem.remedy, allocator), allocator);
    problems.PushBack(item, allocator);
  }
  document.AddMember("problems", problems, allocator);
  return document;
}

}  // namespace stella::host
