#include "stella/host/bundles/bundle_format.hpp"

namespace stella::host::bundle_format {
namespace {

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
/// Total content of a source: 1 TiB.
constexpr std::uint64_t kDefaultMaxTotalBytes = 1024 * kGiB;
/// Files in a source: a million artifacts with their bundles, proofs and attestations fit many
/// times over.
constexpr std::uint64_t kDefaultMaxEntries = 50'000'000;
/// One manifest, bundle.json, proof or attestation. A real manifest is kilobytes.
constexpr std::uint64_t kDefaultMaxJsonBytes = 64 * kMiB;
/// One artifact: PostgreSQL's largest bytea value is 1 GiB.
constexpr std::uint64_t kDefaultMaxArtifactBytes = kGiB;
/// Evidence (JSON, text) compresses well, rarely beyond 20:1; a bomb expands by thousands.
constexpr std::uint64_t kDefaultMaxCompressionRatio = 200;
/// The ratio is judged only after this much came out, so a small archive is never misjudged.
constexpr std::uint64_t kDefaultRatioFloorBytes = 64 * kMiB;

std::string joined(std::initializer_list<std::string_view> parts) {
  std::string path;
  for (const std::string_view part : parts) {
    path.append(part);
  }
  return path;
}

}  // namespace

std::string bundle_directory(std::string_view tenant, std::string_view bundle_id) {
  return joined({"tenants/", tenant, "/bundles/", bundle_id, "/"});
}

std::string bundle_record_file(std::string_view tenant, std::string_view bundle_id) {
  return bundle_directory(tenant, bundle_id) + "bundle.json";
}

std::string artifact_file(std::string_view tenant, std::string_view bundle_id,
                          std::string_view canonical_path) {
  return bundle_directory(tenant, bundle_id) + "artifacts/" + std::string(canonical_path);
}

std::string attestation_file(std::string_view tenant, std::string_view bundle_id) {
  return bundle_directory(tenant, bundle_id) + "attestation.dsse.json";
}

std::string bundle_proof_file(std::string_view tenant, std::string_view bundle_id) {
  return joined({"proofs/bundles/", tenant, "/", bundle_id, ".json"});
}

std::string tenant_proof_file(std::string_view tenant) {
  return joined({"proofs/tenants/", tenant, ".json"});
}

std::string schema_copy_file(std::string_view resource) {
  if (resource.rfind("sql/", 0) == 0) {
    return joined({"schemas/", resource});
  }
  return joined({"schemas/json/", resource});
}

sdk::ImportLimits default_import_limits() {
  sdk::ImportLimits limits;
  limits.max_total_bytes = kDefaultMaxTotalBytes;
  limits.max_entries = kDefaultMaxEntries;
  limits.max_json_bytes = kDefaultMaxJsonBytes;
  limits.max_artifact_bytes = kDefaultMaxArtifactBytes;
  limits.max_compression_ratio = kDefaultMaxCompressionRatio;
  limits.ratio_floor_bytes = kDefaultRatioFloorBytes;
  return limits;
}

}  // namespace stella::host::bundle_format
