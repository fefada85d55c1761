// Storage importer "attestor-ndjson": the attestor's records as its NDJSON export
// (docs/reconcile.md). One JSON object per line: a header first, then signing keys, then one entry
// per sealed bundle the attestor logged, with each artifact's bytes in base64.
//
// The file is read twice, line by line: first to check every line against
// schemas/attestor-record.schema.json and collect the tenants and keys (the ImportSink wants them
// before any bundle), then to stream the bundles. Only one line is in memory at a time.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "import_budget.hpp"
#include "importer_json.hpp"
#include "line_splitter.hpp"
#include "stella/sdk/json_nesting.hpp"
#include "stella/sdk/sdk.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace stella_importer {
namespace {

namespace sdk = stella::sdk;

constexpr const char* kRecordSchema = "attestor-record.schema.json";
constexpr const char* kEnvelopeSchema = "dsse-envelope.schema.json";
constexpr std::string_view kFormat = "stella-attestor-export";
constexpr std::int64_t kFormatVersion = 1;
/// Bytes read per chunk from the file.
constexpr std::size_t kReadChunk = 1 << 16;
/// Bytes looked at by recognizes().
constexpr std::size_t kSniffBytes = 4096;
/// Base64 turns 3 bytes into 4 characters.
constexpr std::size_t kBase64Group = 4;
constexpr std::size_t kBytesPerGroup = 3;

sdk::ByteView bytes_of(const std::string& content) {
  return {reinterpret_cast<const std::uint8_t*>(content.data()), content.size()};
}

/// Strict RFC 4648 base64 (padding required, no line breaks).
std::string decode_base64(const std::string& text, const std::string& origin) {
  const auto refuse = [&] {
    return sdk::Error(sdk::ErrorCode::invalid_input,
                      origin + ": \"content\" is not base64 (RFC 4648, padded, no line breaks)",
                      "export the artifact's bytes with base64 encoding");
  };
  if (text.size() % kBase64Group != 0) {
    throw refuse();
  }
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=') {
      if (i + 2 < text.size()) {
        throw refuse();
      }
      ++padding;
    } else if (padding > 0 || kAlphabet.find(text[i]) == std::string_view::npos) {
      throw refuse();
    }
  }
  std::string bytes(text.size() / kBase64Group * kBytesPerGroup, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0 || static_cast<std::size_t>(written) < padding) {
    throw refuse();
  }
  bytes.resize(static_cast<std::size_t>(written) - padding);
  return bytes;
}

/// Calls `on_line(line, number)` for every non-empty line of the file.
template <typename OnLine>
void for_each_line(const std::string& location, std::size_t max_line_bytes, OnLine&& on_line) {
  std::ifstream in(location, std::ios::binary);
  if (!in) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, location + ": cannot be opened for reading",
                     "check the path given with --source-file");
  }
  std::int64_t number = 0;
  LineSplitter lines(location, max_line_bytes, [&](std::string_view line) {
    ++number;
    if (!line.empty()) {
      on_line(line, number);
    }
  });
  std::array<char, kReadChunk> chunk{};
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
    lines.feed(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
  }
  lines.finish();
}

class AttestorReader {
 public:
  AttestorReader(const std::string& location, const sdk::ImportLimits& limits,
                 sdk::ImportSink& sink)
      : location_(location), limits_(limits), sink_(sink) {}

  void run() {
    std::error_code error;
    const auto status = std::filesystem::symlink_status(location_, error);
    if (error || !std::filesystem::is_regular_file(status)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       location_ +
                           ": not a regular file (links, directories and devices are "
                           "refused)",
                       "give the attestor's NDJSON export itself with --source-file");
    }
    ImportBudget budget(limits_, location_);
    budget.count_bytes(location_, std::filesystem::file_size(location_));
    // A line holds one entry: its artifacts in base64 and its envelope.
    const auto max_line = static_cast<std::size_t>(
        std::min<std::uint64_t>(limits_.max_total_bytes, std::numeric_limits<std::size_t>::max()));

    // Pass 1: every line checked; tenants and keys collected.
    std::string header;
    std::set<std::string> tenants;
    std::vector<sdk::ImportedSigningKey> keys;
    for_each_line(location_, max_line, [&](std::string_view line, std::int64_t number) {
      const std::string origin = location_ + ": line " + std::to_string(number);
      budget.count_entry(origin);
      const rapidjson::Document record = parse_json_text(line, origin);
      require_schema(record, kRecordSchema, origin);
      const std::string kind = string_member(record, "record");
      if (header.empty()) {
        if (kind != "header") {
          throw sdk::Error(sdk::ErrorCode::invalid_input,
                           origin + ": the first record is '" + kind + "'; expected the header",
                           "an attestor export starts with {\"record\":\"header\",\"format\":\"" +
                               std::string(kFormat) + "\",\"version\":1}");
        }
        const std::int64_t version = int_member(record, "version", origin);
        if (version != kFormatVersion) {
          throw sdk::Error(sdk::ErrorCode::invalid_input,
                           origin + ": export format version " + std::to_string(version) +
                               "; this importer reads version " + std::to_string(kFormatVersion),
                           "export the records with a matching attestor version");
        }
        header = std::string(line);
        return;
      }
      if (kind == "header") {
        throw sdk::Error(sdk::ErrorCode::invalid_input, origin + ": a second header",
                         "an export has exactly one header, on its first line");
      }
      if (kind == "signing_key") {
        keys.push_back({string_member(record, "keyId"), string_member(record, "algorithm"),
                        string_member(record, "publicKeyPem")});
        return;
      }
      tenants.insert(string_member(record, "tenant"));
      if (record.HasMember("envelope") && record["envelope"].IsObject()) {
        require_schema(record["envelope"], kEnvelopeSchema, origin + " envelope");
      }
    });
    if (header.empty()) {
      throw sdk::Error(sdk::ErrorCode::invalid_input, location_ + ": empty export (no header)",
                       "an attestor export starts with its header line");
    }

    sink_.source_manifest(header);
    for (const std::string& tenant : tenants) {
      sink_.tenant({tenant, ""});
    }
    for (const sdk::ImportedSigningKey& key : keys) {
      sink_.signing_key(key);
    }

    // Pass 2: the bundles, each with its artifacts (path order) and attestation.
    for_each_line(location_, max_line, [&](std::string_view line, std::int64_t number) {
      const std::string origin = location_ + ": line " + std::to_string(number);
      const rapidjson::Document record = parse_json_text(line, origin);
      if (string_member(record, "record") != "entry") {
        return;
      }
      send_entry(record, origin, budget);
    });
  }

 private:
  void send_entry(const rapidjson::Value& record, const std::string& origin, ImportBudget& budget) {
    sdk::ImportedBundle bundle;
    bundle.tenant = string_member(record, "tenant");
    bundle.bundle_id = string_member(record, "bundleId");
    bundle.kind = string_member(record, "kind");
    bundle.status = string_member(record, "status");
    bundle.subject = string_member(record, "subject");
    bundle.created_at = string_member(record, "createdAt");
    bundle.sealed_at = string_member(record, "sealedAt");
    bundle.declared_root = string_member(record, "bundleRoot");
    sink_.bundle(bundle);

    // Merkle order of artifacts is their path, bytewise (docs/merkle.md).
    std::map<std::string, const rapidjson::Value*> by_path;
    for (const auto& artifact : record["artifacts"].GetArray()) {
      const std::string path = string_member(artifact, "path");
      if (!by_path.emplace(path, &artifact).second) {
        throw sdk::Error(
            sdk::ErrorCode::invalid_input,
            origin + ": bundle " + bundle.bundle_id + " lists artifact " + path + " twice",
            "each artifact path appears once per entry");
      }
    }
    for (const auto& [path, artifact] : by_path) {
      const std::string artifact_origin = origin + " artifact " + path;
      const std::string content = string_member(*artifact, "content");
      // Check the size before decoding: base64 is 4/3 of the bytes.
      budget.check_file_size(artifact_origin, content.size() / kBase64Group * kBytesPerGroup,
                             FileClass::artifact);
      const std::string bytes = decode_base64(content, artifact_origin);
      sdk::ImportedArtifact imported;
      imported.tenant = bundle.tenant;
      imported.bundle_id = bundle.bundle_id;
      imported.path = path;
      imported.media_type = string_member(*artifact, "mediaType");
      imported.declared_digest = string_member(*artifact, "digest");
      imported.bytes = bytes_of(bytes);
      sink_.artifact(imported);
    }
    if (record.HasMember("envelope") && record["envelope"].IsObject()) {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      record["envelope"].Accept(writer);
      sink_.attestation({bundle.tenant, bundle.bundle_id, buffer.GetString()});
    }
  }

  std::string location_;
  sdk::ImportLimits limits_;
  sdk::ImportSink& sink_;
};

class AttestorImporter final : public sdk::StorageImporter {
 public:
  std::string source_format() const override { return STELLA_IMPORTER_SOURCE_FORMAT; }

  bool recognizes(const std::string& location) const override {
    std::error_code error;
    if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(location, error))) {
      return false;
    }
    std::ifstream in(location, std::ios::binary);
    std::string start(kSniffBytes, '\0');
    in.read(start.data(), static_cast<std::streamsize>(start.size()));
    start.resize(static_cast<std::size_t>(in.gcount()));
    const std::string first_line = start.substr(0, start.find('\n'));
    if (sdk::json_nesting_depth(first_line) > sdk::kMaxJsonNesting) {
      return false;
    }
    rapidjson::Document header;
    header.Parse(first_line.data(), first_line.size());
    return !header.HasParseError() && header.IsObject() && header.HasMember("record") &&
           header["record"] == "header" && header.HasMember("format") &&
           header["format"].IsString() && kFormat == header["format"].GetString();
  }

  void read(const std::string& location, const sdk::ImportLimits& limits, sdk::ImportSink& sink,
            sdk::HostContext& /*ctx*/) override {
    AttestorReader(location, limits, sink).run();
  }
};

sdk::Plugin* create() {
  return new AttestorImporter();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, STELLA_IMPORTER_PLUGIN_ID,
                                                STELLA_IMPORTER_PLUGIN_VERSION,
                                                sdk::PluginKind::storage_importer, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella_importer

STELLA_PLUGIN_EXPORT(stella_importer::describe)
