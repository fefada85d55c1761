// The JSON documents inside an export (docs/bundle-format.md; schemas/bundle-*.schema.json),
// written the same way every time: fixed member order, two-space indent, a final newline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/evidence/store_layout.hpp"

namespace stella::host {

struct ManifestTenant {
  std::string tenant;
  std::string display_name;
  std::string root;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
};

struct ManifestContent {
  std::string tool_version;
  std::string created_at;
  std::string schema_version;
  std::string algorithm;
  std::string global_root;
  std::int64_t store_tenants = 0;
  std::int64_t store_bundles = 0;
  std::int64_t store_artifacts = 0;
  /// "all" or "tenants".
  std::string scope;
  bool include_attestations = false;
  bool include_proofs = false;
  bool include_schemas = false;
  bool portable = false;
  std::vector<ManifestTenant> tenants;
};

/// The source schema version a manifest's bytes name ("source.schemaVersion"); empty when they
/// do not parse or name none (the verification reports why).
std::string manifest_schema_version(const std::string& manifest_json);

/// manifest.json (schemas/bundle-manifest.schema.json).
std::string manifest_document(const ManifestContent& content);

struct RecordArtifact {
  std::string path;
  std::string media_type;
  std::int64_t size = 0;
  std::string digest;
};

/// bundle.json (schemas/bundle-record.schema.json). `attestation`: "included", "none" or
/// "excluded".
std::string bundle_record_document(const BundleEntry& bundle,
                                   const std::vector<RecordArtifact>& artifacts,
                                   const char* attestation);

struct ProofContent {
  /// "bundle" or "tenant".
  std::string level;
  std::string tenant;
  /// Empty for a tenant proof (written as null).
  std::string bundle_id;
  std::string leaf_root;
  std::uint64_t leaf_index = 0;
  std::uint64_t tree_size = 0;
  std::vector<std::string> path;
  std::string root;
};

/// proofs/... (schemas/bundle-proof.schema.json).
std::string proof_document(const ProofContent& proof);

/// keys/signing-keys.json (schemas/bundle-signing-keys.schema.json).
std::string signing_keys_document(const std::vector<SigningKeyRecord>& keys);

}  // namespace stella::host
