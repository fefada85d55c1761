#include "stella/host/conformance/object_store_sample.hpp"

#include <fstream>

#include "stella/host/conformance/hostile_archive.hpp"
#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/error.hpp"

namespace fs = std::filesystem;

namespace stella::host {
namespace {

constexpr std::string_view kRecordSuffix = "/bundle.json";

void write_file(const fs::path& file, const std::string& content) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) {
    throw sdk::Error(sdk::ErrorCode::internal, file.string() + ": could not be written",
                     "check free space and permissions of " + file.parent_path().string());
  }
}

bool is_bundle_record(const std::string& path) {
  return path.size() > kRecordSuffix.size() &&
         path.compare(path.size() - kRecordSuffix.size(), kRecordSuffix.size(), kRecordSuffix) == 0;
}

std::string file_content(const std::vector<ArchiveEntrySpec>& files, const std::string& path) {
  for (const ArchiveEntrySpec& file : files) {
    if (file.path == path) {
      return file.content;
    }
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "the export lists no file '" + path + "' in its checksums.sha256",
                   "use a complete export written by `stella evidence export`");
}

}  // namespace

void write_object_store_sample(const fs::path& export_directory, const fs::path& store) {
  const std::vector<ArchiveEntrySpec> files = entries_of_export(export_directory);
  const rapidjson::Document keys =
      parse_json(file_content(files, "keys/signing-keys.json"), "keys/signing-keys.json");
  for (const auto& key : keys["keys"].GetArray()) {
    rapidjson::Document one;
    one.CopyFrom(key, one.GetAllocator());
    write_file(store / "keys" / (std::string(key["keyId"].GetString()) + ".json"),
               json_to_string(one));
  }
  for (const ArchiveEntrySpec& file : files) {
    if (!is_bundle_record(file.path)) {
      continue;
    }
    const fs::path directory = fs::path(file.path).parent_path();
    const rapidjson::Document record = parse_json(file.content, file.path);
    rapidjson::Document manifest(rapidjson::kObjectType);
    auto& a = manifest.GetAllocator();
    manifest.AddMember("apiVersion", "evidence-locker/v1", a);
    manifest.AddMember("bundleId", rapidjson::Value(record["bundleId"], a), a);
    manifest.AddMember("tenantId", rapidjson::Value(record["tenant"], a), a);
    for (const char* field : {"kind", "status", "subject", "createdAt", "sealedAt"}) {
      manifest.AddMember(rapidjson::StringRef(field), rapidjson::Value(record[field], a), a);
    }
    manifest.AddMember("rootHash", rapidjson::Value(record["root"], a), a);
    rapidjson::Value entries(rapidjson::kArrayType);
    for (const auto& artifact : record["artifacts"].GetArray()) {
      rapidjson::Value entry(rapidjson::kObjectType);
      entry.AddMember("path", rapidjson::Value(artifact["path"], a), a);
      entry.AddMember("mediaType", rapidjson::Value(artifact["mediaType"], a), a);
      entry.AddMember("sizeBytes", rapidjson::Value(artifact["size"], a), a);
      entry.AddMember("digest", rapidjson::Value(artifact["digest"], a), a);
      entries.PushBack(entry, a);
      const std::string artifact_path = artifact["path"].GetString();
      write_file(store / directory / "payload" / artifact_path,
                 file_content(files, (directory / "artifacts" / artifact_path).string()));
    }
    manifest.AddMember("entries", entries, a);
    if (std::string(record["attestation"].GetString()) == "included") {
      manifest.AddMember("attestation", "attestation.dsse.json", a);
      write_file(store / directory / "attestation.dsse.json",
                 file_content(files, (directory / "attestation.dsse.json").string()));
    }
    write_file(store / directory / "manifest.json", json_to_string(manifest));
  }
}

}  // namespace stella::host
