#include "bundles/bundle_documents.hpp"

#include <rapidjson/document.h>

#include "stella/host/bundles/bundle_format.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/json_nesting.hpp"

namespace stella::host {
namespace {

using rapidjson::Value;

/// Builds one document; every string is copied into its allocator.
class DocumentBuilder {
 public:
  DocumentBuilder() { document_.SetObject(); }
  rapidjson::Document::AllocatorType& allocator() { return document_.GetAllocator(); }
  Value text(const std::string& value) {
    return Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator());
  }
  void add(Value& object, const char* name, Value value) {
    object.AddMember(rapidjson::StringRef(name), value, allocator());
  }
  Value& root() { return document_; }
  std::string finish() { return json_to_string(document_, JsonLayout::pretty) + "\n"; }

 private:
  rapidjson::Document document_;
};

}  // namespace

std::string manifest_schema_version(const std::string& manifest_json) {
  if (sdk::json_nesting_depth(manifest_json) > sdk::kMaxJsonNesting) {
    return {};
  }
  rapidjson::Document document;
  document.Parse(manifest_json.data(), manifest_json.size());
  if (document.HasParseError() || !document.IsObject() || !document.HasMember("source") ||
      !document["source"].IsObject() || !document["source"].HasMember("schemaVersion") ||
      !document["source"]["schemaVersion"].IsString()) {
    return {};
  }
  return document["source"]["schemaVersion"].GetString();
}

std::string manifest_document(const ManifestContent& content) {
  DocumentBuilder b;
  Value& root = b.root();
  b.add(root, "format", b.text(bundle_format::kFormatName));
  b.add(root, "formatVersion", Value(bundle_format::kFormatVersion));
  Value tool(rapidjson::kObjectType);
  b.add(tool, "name", b.text("stella"));
  b.add(tool, "version", b.text(content.tool_version));
  b.add(root, "tool", std::move(tool));
  b.add(root, "createdAt", b.text(content.created_at));
  Value source(rapidjson::kObjectType);
  b.add(source, "schemaVersion", b.text(content.schema_version));
  b.add(source, "algorithm", b.text(content.algorithm));
  b.add(source, "globalRoot", b.text(content.global_root));
  b.add(source, "tenantCount", Value(static_cast<std::int64_t>(content.store_tenants)));
  b.add(source, "bundleCount", Value(static_cast<std::int64_t>(content.store_bundles)));
  b.add(source, "artifactCount", Value(static_cast<std::int64_t>(content.store_artifacts)));
  b.add(root, "source", std::move(source));
  Value options(rapidjson::kObjectType);
  b.add(options, "scope", b.text(content.scope));
  b.add(options, "includeAttestations", Value(content.include_attestations));
  b.add(options, "includeProofs", Value(content.include_proofs));
  b.add(options, "includeSchemas", Value(content.include_schemas));
  b.add(options, "portable", Value(content.portable));
  b.add(root, "options", std::move(options));
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  Value tenants(rapidjson::kArrayType);
  for (const ManifestTenant& tenant : content.tenants) {
    Value item(rapidjson::kObjectType);
    b.add(item, "tenant", b.text(tenant.tenant));
    b.add(item, "displayName", b.text(tenant.display_name));
    b.add(item, "root", b.text(tenant.root));
    b.add(item, "bundles", Value(static_cast<std::int64_t>(tenant.bundles)));
    b.add(item, "artifacts", Value(static_cast<std::int64_t>(tenant.artifacts)));
    tenants.PushBack(item, b.allocator());
    bundles += tenant.bundles;
    artifacts += tenant.artifacts;
  }
  Value counts(rapidjson::kObjectType);
  b.add(counts, "tenants", Value(static_cast<std::int64_t>(content.tenants.size())));
  b.add(counts, "bundles", Value(bundles));
  b.add(counts, "artifacts", Value(artifacts));
  b.add(root, "counts", std::move(counts));
  b.add(root, "tenants", std::move(tenants));
  return b.finish();
}

std::string bundle_record_document(const BundleEntry& bundle,
                                   const std::vector<RecordArtifact>& artifacts,
                                   const char* attestation) {
  DocumentBuilder b;
  Value& root = b.root();
  b.add(root, "bundleId", b.text(bundle.bundle_id));
  b.add(root, "tenant", b.text(bundle.tenant_id));
  b.add(root, "kind", b.text(bundle.kind));
  b.add(root, "status", b.text(bundle.status));
  b.add(root, "subject", b.text(bundle.subject));
  b.add(root, "createdAt", b.text(bundle.created_at));
  b.add(root, "sealedAt", b.text(bundle.sealed_at));
  b.add(root, "root", b.text(bundle.stored_root));
  Value list(rapidjson::kArrayType);
  for (const RecordArtifact& artifact : artifacts) {
    Value item(rapidjson::kObjectType);
    b.add(item, "path", b.text(artifact.path));
    b.add(item, "mediaType", b.text(artifact.media_type));
    b.add(item, "size", Value(static_cast<std::int64_t>(artifact.size)));
    b.add(item, "digest", b.text(artifact.digest));
    list.PushBack(item, b.allocator());
  }
  b.add(root, "artifacts", std::move(list));
  b.add(root, "attestation", b.text(attestation));
  return b.finish();
}

std::string proof_document(const ProofContent& proof) {
  DocumentBuilder b;
  Value& root = b.root();
  b.add(root, "level", b.text(proof.level));
  b.add(root, "tenant", b.text(proof.tenant));
  b.add(root, "bundleId", proof.bundle_id.empty() ? Value() : b.text(proof.bundle_id));
  b.add(root, "leafRoot", b.text(proof.leaf_root));
  b.add(root, "leafIndex", Value(static_cast<std::uint64_t>(proof.leaf_index)));
  b.add(root, "treeSize", Value(static_cast<std::uint64_t>(proof.tree_size)));
  Value path(rapidjson::kArrayType);
  for (const std::string& step : proof.path) {
    path.PushBack(b.text(step), b.allocator());
  }
  b.add(root, "path", std::move(path));
  b.add(root, "root", b.text(proof.root));
  return b.finish();
}

std::string signing_keys_document(const std::vector<SigningKeyRecord>& keys) {
  DocumentBuilder b;
  Value list(rapidjson::kArrayType);
  for (const SigningKeyRecord& key : keys) {
    Value item(rapidjson::kObjectType);
    b.add(item, "keyId", b.text(key.key_id));
    b.add(item, "algorithm", b.text(key.algorithm));
    b.add(item, "publicKeyPem", b.text(key.public_key_pem));
    list.PushBack(item, b.allocator());
  }
  b.add(b.root(), "keys", std::move(list));
  return b.finish();
}

}  // namespace stella::host
