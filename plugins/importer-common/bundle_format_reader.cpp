#include "bundle_format_reader.hpp"

#include "importer_json.hpp"
#include "safe_path.hpp"
#include "stella/sdk/error.hpp"

namespace stella_importer {
namespace {

/// "T tenants, B bundles, A artifacts", as the manifest_counts problems name counts.
std::string counts_text(std::int64_t tenants, std::int64_t bundles, std::int64_t artifacts) {
  return std::to_string(tenants) + " tenants, " + std::to_string(bundles) + " bundles, " +
         std::to_string(artifacts) + " artifacts";
}

namespace sdk = stella::sdk;

constexpr const char* kManifestSchema = "bundle-manifest.schema.json";
constexpr const char* kBundleSchema = "bundle-record.schema.json";
constexpr const char* kProofSchema = "bundle-proof.schema.json";
constexpr const char* kKeysSchema = "bundle-signing-keys.schema.json";
constexpr const char* kEnvelopeSchema = "dsse-envelope.schema.json";

constexpr std::string_view kJsonSuffix = ".json";
constexpr std::string_view kBundleFile = "bundle.json";
constexpr std::string_view kAttestationFile = "attestation.dsse.json";
constexpr std::string_view kArtifactsDirectory = "artifacts";

/// What a path of the format is, from its segments.
enum class FileRole {
  manifest = 1,
  signing_keys = 2,
  tenant_proof = 3,
  bundle_proof = 4,
  bundle_record = 5,
  attestation = 6,
  artifact = 7,
  schema_copy = 8,
  unknown = 9,
};

struct ParsedPath {
  FileRole role = FileRole::unknown;
  std::string_view tenant;
  std::string_view bundle;
  std::string_view artifact;
};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view without_json(std::string_view name) {
  return name.substr(0, name.size() - kJsonSuffix.size());
}

ParsedPath parse_path(std::string_view path) {
  const std::vector<std::string_view> s = path_segments(path);
  ParsedPath parsed;
  if (s.size() == 1 && s[0] == bundle_format::kManifestFile) {
    parsed.role = FileRole::manifest;
  } else if (s.size() == 2 && s[0] == "keys" && s[1] == "signing-keys.json") {
    parsed.role = FileRole::signing_keys;
  } else if (s.size() == 3 && s[0] == "proofs" && s[1] == "tenants" &&
             ends_with(s[2], kJsonSuffix)) {
    parsed.role = FileRole::tenant_proof;
    parsed.tenant = without_json(s[2]);
  } else if (s.size() == 4 && s[0] == "proofs" && s[1] == "bundles" &&
             ends_with(s[3], kJsonSuffix)) {
    parsed.role = FileRole::bundle_proof;
    parsed.tenant = s[2];
    parsed.bundle = without_json(s[3]);
  } else if (s.size() >= 5 && s[0] == "tenants" && s[2] == "bundles") {
    parsed.tenant = s[1];
    parsed.bundle = s[3];
    if (s.size() == 5 && s[4] == kBundleFile) {
      parsed.role = FileRole::bundle_record;
    } else if (s.size() == 5 && s[4] == kAttestationFile) {
      parsed.role = FileRole::attestation;
    } else if (s.size() >= 6 && s[4] == kArtifactsDirectory) {
      parsed.role = FileRole::artifact;
      const std::size_t prefix = static_cast<std::size_t>(s[5].data() - path.data());
      parsed.artifact = path.substr(prefix);
    }
  } else if (s.size() >= 2 && s[0] == "schemas") {
    parsed.role = FileRole::schema_copy;
  }
  return parsed;
}

sdk::ByteView bytes_of(std::string_view content) {
  return {reinterpret_cast<const std::uint8_t*>(content.data()), content.size()};
}

}  // namespace

BundleFormatReader::BundleFormatReader(sdk::ImportSink& sink, ImportBudget& budget)
    : sink_(sink), budget_(budget) {}

FileClass BundleFormatReader::file_class(std::string_view path) {
  return parse_path(path).role == FileRole::artifact ? FileClass::artifact : FileClass::document;
}

std::string BundleFormatReader::origin(std::string_view path) const {
  return budget_.source() + ": " + std::string(path);
}

void BundleFormatReader::report(const char* check, std::string_view file, std::string expected,
                                std::string found, std::string message) {
  sink_.problem(
      {check, std::string(file), std::move(expected), std::move(found), std::move(message)});
}

void BundleFormatReader::unexpected(std::string_view path, const std::string& why) {
  report("unexpected_file", path, "only the files of docs/bundle-format.md", std::string(path),
         why);
}

void BundleFormatReader::file(std::string_view path, std::string_view content) {
  const ParsedPath parsed = parse_path(path);
  if (!manifest_seen_ && parsed.role != FileRole::manifest) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     budget_.source() + ": the first file is " + printable(path) +
                         "; a bundle starts with " + bundle_format::kManifestFile,
                     "nothing was imported; this is not a bundle written by `stella evidence "
                     "export` (or its manifest was removed)");
  }
  switch (parsed.role) {
    case FileRole::manifest:
      manifest(path, content);
      return;
    case FileRole::signing_keys:
      signing_keys(path, content);
      return;
    case FileRole::tenant_proof:
      proof(path, parsed.tenant, std::nullopt, content);
      return;
    case FileRole::bundle_proof:
      proof(path, parsed.tenant, parsed.bundle, content);
      return;
    case FileRole::bundle_record:
      bundle_record(path, parsed.tenant, parsed.bundle, content);
      return;
    case FileRole::attestation:
      attestation(path, parsed.tenant, parsed.bundle, content);
      return;
    case FileRole::artifact:
      artifact(path, parsed.tenant, parsed.bundle, parsed.artifact, content);
      return;
    case FileRole::schema_copy:
      // Copies of the JSON Schemas and SQL for the receiver to read; covered by the checksums,
      // not interpreted.
      return;
    case FileRole::unknown:
      unexpected(path, "the bundle format has no file of this name");
      return;
  }
}

void BundleFormatReader::manifest(std::string_view path, std::string_view content) {
  if (manifest_seen_) {
    unexpected(path, "a second manifest.json");
    return;
  }
  const rapidjson::Document document = parse_json_text(content, origin(path));
  // Format and version first: an unknown version deserves that message, not a schema violation.
  if (!document.IsObject() || !document.HasMember("format") || !document["format"].IsString() ||
      std::string_view(document["format"].GetString()) != bundle_format::kFormatName) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     origin(path) +
                         ": not a stella evidence bundle manifest (expected \"format\": "
                         "\"" +
                         bundle_format::kFormatName + "\")",
                     "nothing was imported; name a directory or archive written by `stella "
                     "evidence export`");
  }
  if (!document.HasMember("formatVersion") || !document["formatVersion"].IsInt64() ||
      document["formatVersion"].GetInt64() != bundle_format::kFormatVersion) {
    const std::string found =
        document.HasMember("formatVersion") && document["formatVersion"].IsInt64()
            ? std::to_string(document["formatVersion"].GetInt64())
            : std::string("missing or not an integer");
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     origin(path) + ": unknown bundle format version " + found +
                         "; this importer (" STELLA_IMPORTER_PLUGIN_ID
                         " " STELLA_IMPORTER_PLUGIN_VERSION ") reads version " +
                         std::to_string(bundle_format::kFormatVersion),
                     "nothing was imported; import it with the stella release that wrote it, or "
                     "a newer one");
  }
  require_schema(document, kManifestSchema, origin(path));
  manifest_seen_ = true;
  sink_.source_manifest(std::string(content));

  const auto& options = document["options"];
  attestations_expected_ = bool_member(options, "includeAttestations");
  proofs_expected_ = bool_member(options, "includeProofs");
  tenant_proofs_expected_ = proofs_expected_ || string_member(options, "scope") == "tenants";

  for (const auto& tenant : document["tenants"].GetArray()) {
    const std::string id = string_member(tenant, "tenant");
    if (tenants_.count(id) != 0) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       origin(path) + ": tenant '" + id + "' is listed twice",
                       "nothing was imported; the manifest was edited by hand");
    }
    TenantPromise promise;
    promise.bundles = int_member(tenant, "bundles", origin(path));
    promise.artifacts = int_member(tenant, "artifacts", origin(path));
    tenants_.emplace(id, promise);
    sink_.tenant({id, string_member(tenant, "displayName")});
    sink_.declared_root({id, string_member(tenant, "root"), promise.bundles});
  }
  const auto& source = document["source"];
  sink_.declared_root(
      {"", string_member(source, "globalRoot"), int_member(source, "tenantCount", origin(path))});

  // Each tenant's counts are checked against what the bundle holds (finish()); the totals must
  // add up from them, so that every count an auditor reads in the manifest is checked.
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  for (const auto& [tenant, promise] : tenants_) {
    bundles += promise.bundles;
    artifacts += promise.artifacts;
  }
  const std::string held =
      counts_text(static_cast<std::int64_t>(tenants_.size()), bundles, artifacts);
  const auto& counts = document["counts"];
  const std::string declared = counts_text(int_member(counts, "tenants", origin(path)),
                                           int_member(counts, "bundles", origin(path)),
                                           int_member(counts, "artifacts", origin(path)));
  if (declared != held) {
    report("manifest_counts", path, held, declared,
           "the manifest's counts are not the sums of its tenants' counts");
  }
  // An export of every tenant holds the whole store, so the store's counts are the same sums.
  // For some tenants only, the store's bundle and artifact counts cannot be checked offline (its
  // tenant count is, through the tenants' proofs).
  if (string_member(options, "scope") == "all") {
    const std::string store = counts_text(int_member(source, "tenantCount", origin(path)),
                                          int_member(source, "bundleCount", origin(path)),
                                          int_member(source, "artifactCount", origin(path)));
    if (store != held) {
      report("manifest_counts", path, held, store,
             "the manifest's counts of the source store differ from its tenants' counts, and "
             "the bundle holds every tenant of the store");
    }
  }
}

void BundleFormatReader::signing_keys(std::string_view path, std::string_view content) {
  const rapidjson::Document document = parse_json_text(content, origin(path));
  require_schema(document, kKeysSchema, origin(path));
  for (const auto& key : document["keys"].GetArray()) {
    sink_.signing_key({string_member(key, "keyId"), string_member(key, "algorithm"),
                       string_member(key, "publicKeyPem")});
  }
}

void BundleFormatReader::bundle_record(std::string_view path, std::string_view tenant,
                                       std::string_view bundle, std::string_view content) {
  close_bundle();
  const rapidjson::Document document = parse_json_text(content, origin(path));
  require_schema(document, kBundleSchema, origin(path));
  const std::string bundle_id = string_member(document, "bundleId");
  const std::string tenant_id = string_member(document, "tenant");
  if (bundle_id != bundle || tenant_id != tenant) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     origin(path) + ": names bundle '" + bundle_id + "' of tenant '" + tenant_id +
                         "', but lies in the directory of bundle '" + std::string(bundle) +
                         "' of tenant '" + std::string(tenant) + "'",
                     "nothing was imported; the bundle was moved or renamed by hand");
  }
  const auto promise = tenants_.find(tenant_id);
  if (promise == tenants_.end()) {
    report("undeclared_tenant", path, "a tenant listed in manifest.json", tenant_id,
           "bundle " + bundle_id + " belongs to a tenant the manifest does not list");
  } else {
    ++promise->second.bundles_seen;
  }
  OpenBundle open;
  open.tenant = tenant_id;
  open.bundle_id = bundle_id;
  open.directory = "tenants/" + tenant_id + "/bundles/" + bundle_id + "/";
  for (const auto& item : document["artifacts"].GetArray()) {
    std::string artifact_path = string_member(item, "path");
    if (const auto reason = unsafe_path_reason(artifact_path)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       origin(path) + ": artifact path " + printable(artifact_path) +
                           " is not a canonical path: " + *reason,
                       "nothing was imported; the bundle was edited by hand");
    }
    ExpectedArtifact expected{string_member(item, "mediaType"), string_member(item, "digest"),
                              int_member(item, "size", origin(path)), false};
    if (!open.artifacts.emplace(std::move(artifact_path), std::move(expected)).second) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       origin(path) + ": artifact " + printable(string_member(item, "path")) +
                           " is listed twice",
                       "nothing was imported; the bundle was edited by hand");
    }
  }
  const std::string attestation_state = string_member(document, "attestation");
  open.attestation_expected = attestation_state == "included";
  if (attestation_state == "excluded" && attestations_expected_) {
    report("attestation_excluded", path, "included", "excluded",
           "the manifest says attestations are included, but bundle " + bundle_id +
               " says its attestation was left out");
  }
  sink_.bundle({tenant_id, bundle_id, string_member(document, "kind"),
                string_member(document, "status"), string_member(document, "subject"),
                string_member(document, "createdAt"), string_member(document, "sealedAt"),
                string_member(document, "root")});
  if (proofs_expected_) {
    awaiting_proof_.insert(bundle_id);
  }
  open_ = std::move(open);
}

void BundleFormatReader::artifact(std::string_view path, std::string_view tenant,
                                  std::string_view bundle, std::string_view artifact_path,
                                  std::string_view content) {
  if (!open_ || open_->tenant != tenant || open_->bundle_id != bundle) {
    unexpected(path,
               "an artifact file outside the bundle whose bundle.json came last (bundle.json "
               "precedes its artifacts)");
    return;
  }
  const auto expected = open_->artifacts.find(artifact_path);
  if (expected == open_->artifacts.end()) {
    unexpected(path, "bundle " + open_->bundle_id + " does not list this artifact in bundle.json");
    return;
  }
  if (expected->second.seen) {
    unexpected(path, "a second copy of an artifact");
    return;
  }
  expected->second.seen = true;
  if (static_cast<std::uint64_t>(expected->second.size) != content.size()) {
    report("artifact_size", path, std::to_string(expected->second.size) + " bytes",
           std::to_string(content.size()) + " bytes",
           "the artifact's size differs from what bundle.json records");
  }
  if (const auto promise = tenants_.find(tenant); promise != tenants_.end()) {
    ++promise->second.artifacts_seen;
  }
  sink_.artifact({open_->tenant, open_->bundle_id, std::string(artifact_path),
                  expected->second.media_type, expected->second.digest, bytes_of(content)});
}

void BundleFormatReader::attestation(std::string_view path, std::string_view tenant,
                                     std::string_view bundle, std::string_view content) {
  if (!open_ || open_->tenant != tenant || open_->bundle_id != bundle) {
    unexpected(path, "an attestation outside the bundle whose bundle.json came last");
    return;
  }
  if (!open_->attestation_expected || open_->attestation_seen) {
    unexpected(path, "bundle.json of " + open_->bundle_id + " does not say it has an attestation");
    return;
  }
  open_->attestation_seen = true;
  const rapidjson::Document document = parse_json_text(content, origin(path));
  require_schema(document, kEnvelopeSchema, origin(path));
  sink_.attestation({open_->tenant, open_->bundle_id, std::string(content)});
}

void BundleFormatReader::proof(std::string_view path, std::string_view tenant,
                               std::optional<std::string_view> bundle, std::string_view content) {
  const rapidjson::Document document = parse_json_text(content, origin(path));
  require_schema(document, kProofSchema, origin(path));
  const std::string level = string_member(document, "level");
  const std::string proof_tenant = string_member(document, "tenant");
  const bool bundle_level = bundle.has_value();
  const std::string proof_bundle =
      document["bundleId"].IsString() ? string_member(document, "bundleId") : std::string();
  if (level != (bundle_level ? "bundle" : "tenant") || proof_tenant != tenant ||
      (bundle_level && proof_bundle != *bundle) || (!bundle_level && !proof_bundle.empty())) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     origin(path) + ": the proof is about " + level + " '" +
                         (proof_bundle.empty() ? proof_tenant : proof_bundle) +
                         "', which is not what its file name says",
                     "nothing was imported; the proof was moved or renamed by hand");
  }
  if (bundle_level) {
    close_bundle();
    awaiting_proof_.erase(proof_bundle);
  } else if (const auto promise = tenants_.find(proof_tenant); promise != tenants_.end()) {
    promise->second.proof_seen = true;
  }
  sdk::ImportedProof proof;
  proof.tenant = proof_tenant;
  proof.bundle_id = proof_bundle;
  proof.leaf_index = static_cast<std::uint64_t>(int_member(document, "leafIndex", origin(path)));
  proof.tree_size = static_cast<std::uint64_t>(int_member(document, "treeSize", origin(path)));
  for (const auto& step : document["path"].GetArray()) {
    proof.path.emplace_back(step.GetString(), step.GetStringLength());
  }
  proof.root = string_member(document, "root");
  sink_.proof(proof);
}

void BundleFormatReader::close_bundle() {
  if (!open_) {
    return;
  }
  for (const auto& [artifact_path, expected] : open_->artifacts) {
    if (!expected.seen) {
      report("missing_file", open_->directory + "artifacts/" + artifact_path,
             "the artifact listed in bundle.json", "no such file",
             "bundle " + open_->bundle_id + " lists an artifact the source does not hold");
    }
  }
  if (open_->attestation_expected && !open_->attestation_seen) {
    report("missing_file", open_->directory + std::string(kAttestationFile),
           "the attestation bundle.json announces", "no such file",
           "bundle " + open_->bundle_id + "'s attestation is missing");
  }
  open_.reset();
}

void BundleFormatReader::finish() {
  if (!manifest_seen_) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     budget_.source() + ": no " + bundle_format::kManifestFile +
                         "; every bundle starts with one",
                     "nothing was imported; name a directory or archive written by `stella "
                     "evidence export`");
  }
  close_bundle();
  for (const std::string& bundle : awaiting_proof_) {
    report("missing_proof", "", "an inclusion proof for every bundle (includeProofs)",
           "none for bundle " + bundle,
           "the manifest promises proofs, but bundle " + bundle + " has none");
  }
  for (const auto& [tenant, promise] : tenants_) {
    if (promise.bundles_seen != promise.bundles || promise.artifacts_seen != promise.artifacts) {
      report("tenant_counts", "manifest.json",
             std::to_string(promise.bundles) + " bundles, " + std::to_string(promise.artifacts) +
                 " artifacts",
             std::to_string(promise.bundles_seen) + " bundles, " +
                 std::to_string(promise.artifacts_seen) + " artifacts",
             "tenant " + tenant + " holds other counts than its manifest entry says");
    }
    if (tenant_proofs_expected_ && !promise.proof_seen) {
      report("missing_proof", "proofs/tenants/" + tenant + ".json",
             "the tenant's inclusion proof in the global root", "no such file",
             "tenant " + tenant + " has no proof of its root in the global root");
    }
  }
}

}  // namespace stella_importer
