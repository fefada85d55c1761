// `stella evidence verify-all`: every stored byte, digest, root and signature checked in one
// streaming pass.
//
// Each stored value is checked against what it commits to: an artifact's digest (and size) against
// its bytes; a bundle root against the bundle's stored artifact digests and paths; a tenant root
// against its bundles' stored roots; the global root against the stored tenant roots; and each
// bundle's DSSE attestation (signature by the stored key, subjects = the bundle's artifacts by path
// and stored digest, predicate tenant, bundle id, kind, seal time and artifact count = the bundle's
// as stored). When every check passes, the global root commits to every stored byte and each
// bundle's attestation to its kind and seal time; when one fails, the report names the one value
// that is wrong. A bundle's status, subject and creation time are in no attestation and no root,
// so nothing here vouches for them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/evidence/store_layout.hpp"

namespace stella::host {

/// Names of the checks, as they appear in reports ("check" of an anomaly).
namespace verify_check {
inline constexpr const char* kArtifactDigest = "artifact_digest";
inline constexpr const char* kArtifactSize = "artifact_size";
inline constexpr const char* kBundleRoot = "bundle_root";
inline constexpr const char* kTenantRoot = "tenant_root";
inline constexpr const char* kTenantCounts = "tenant_counts";
inline constexpr const char* kGlobalRoot = "global_root";
inline constexpr const char* kGlobalCounts = "global_counts";
inline constexpr const char* kAttestationMissing = "attestation_missing";
inline constexpr const char* kAttestationMalformed = "attestation_malformed";
inline constexpr const char* kAttestationKey = "attestation_key";
inline constexpr const char* kAttestationSignature = "attestation_signature";
inline constexpr const char* kAttestationSubject = "attestation_subject";
inline constexpr const char* kAttestationTenant = "attestation_tenant";
inline constexpr const char* kAttestationBundle = "attestation_bundle";
inline constexpr const char* kAttestationKind = "attestation_kind";
inline constexpr const char* kAttestationSealedAt = "attestation_sealed_at";
inline constexpr const char* kAttestationArtifactCount = "attestation_artifact_count";
}  // namespace verify_check

/// One problem found. Empty tenant/bundle/artifact fields do not apply to the check.
struct VerifyAnomaly {
  std::string check;
  std::string tenant;
  std::string bundle;
  /// The artifact's canonical path.
  std::string artifact;
  /// What the stored record (or the signed attestation) says should be there.
  std::string expected;
  /// What was found instead (recomputed from the data, or stored where the attestation says
  /// otherwise).
  std::string found;
  /// One sentence a person can act on.
  std::string message;
};

struct VerifyCounts {
  std::int64_t tenants = 0;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
  std::int64_t signatures = 0;
};

struct VerifyReport {
  std::string schema_version;
  std::string database;
  std::string algorithm;
  /// ISO 8601 UTC.
  std::string started_at;
  std::string finished_at;
  double elapsed_seconds = 0;
  std::optional<std::string> stored_global_root;
  std::string recomputed_global_root;
  VerifyCounts checked;
  /// In Merkle order of where they were found; at most kMaxReportedAnomalies.
  std::vector<VerifyAnomaly> anomalies;
  /// Every anomaly found, including those not listed.
  std::int64_t anomaly_count = 0;

  bool passed() const { return anomaly_count == 0; }
};

/// Anomalies listed in a report; beyond this only the count grows, so a store that is wrong
/// everywhere still gives a report of bounded size.
inline constexpr std::size_t kMaxReportedAnomalies = 10000;

struct VerifyOptions {
  /// Threads that check attestations while the main thread hashes; 0 checks them inline.
  unsigned attestation_workers = 1;
  /// Called now and then with artifacts checked so far and the stored total (0 when unknown).
  std::function<void(std::int64_t artifacts, std::int64_t total)> progress;
};

/// Verifies the whole store at `conninfo` through `layout` in one read-only snapshot. Never writes.
/// Problems in the data are anomalies in the report, not exceptions; throws sdk::Error only when
/// the verification itself cannot run (connection lost, a row breaks the layout).
VerifyReport verify_store(const std::string& conninfo, const StoreLayout& layout,
                          const VerifyOptions& options);

}  // namespace stella::host
