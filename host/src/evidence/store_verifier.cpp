// verify-all: one ordered walk of the store, hashing on this thread and checking attestations on
// worker threads; memory holds one bundle's artifact list and O(log n) digests per tree.
#include "stella/host/evidence/store_verifier.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "core/test_delay.hpp"
#include "evidence/attestation_check_pool.hpp"
#include "stella/host/evidence/pg_binary_copy.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/hasher_for_algorithm.hpp"
#include "stella/host/merkle/merkle_tree.hpp"

namespace stella::host {
namespace {

/// Artifacts between two progress callbacks.
constexpr std::int64_t kProgressEvery = 10000;
/// Orders anomalies: (event number << 2) | phase. Phases within one event: what the walk found,
/// then what the attestation check found.
constexpr int kPhaseBits = 2;
constexpr std::uint64_t kWalkPhase = 0;
constexpr std::uint64_t kAttestationPhase = 1;

std::int64_t unix_micros_now() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Anomalies from the walk and the workers, kept in a bounded list with their order.
class AnomalyLog {
 public:
  void add(std::uint64_t order, VerifyAnomaly anomaly) {
    std::lock_guard lock(mutex_);
    ++count_;
    if (entries_.size() < kMaxReportedAnomalies) {
      entries_.emplace_back(order, std::move(anomaly));
    }
  }

  void move_into(VerifyReport& report) {
    std::lock_guard lock(mutex_);
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    report.anomaly_count = count_;
    for (auto& entry : entries_) {
      report.anomalies.push_back(std::move(entry.second));
    }
    entries_.clear();
  }

 private:
  std::mutex mutex_;
  std::int64_t count_ = 0;
  std::vector<std::pair<std::uint64_t, VerifyAnomaly>> entries_;
};

/// The algorithm of the subjects DSSE attestations sign (evidence_statement.hpp).
constexpr const char* kAttestedAlgorithm = "sha256";

class VerifyingVisitor final : public EvidenceVisitor {
 public:
  VerifyingVisitor(const TreeHasher& hasher, AnomalyLog& log, VerifyCounts& counts,
                   const VerifyOptions& options)
      : hasher_(hasher),
        log_(log),
        counts_(counts),
        options_(options),
        global_(hasher),
        attestation_hasher_(hasher.algorithm_id() == kAttestedAlgorithm
                                ? nullptr
                                : make_evp_hasher(kAttestedAlgorithm)),
        test_delay_(test_delay_from_environment("STELLA_TEST_VERIFY_BUNDLE_DELAY_MS")) {}

  void begin_walk(const EvidenceSnapshot& snapshot) override {
    stored_global_ = snapshot.global_root;
    total_ = snapshot.global_root ? snapshot.global_root->artifact_count : 0;
    keyring_ = make_keyring(snapshot.signing_keys);
    pool_.emplace(keyring_, options_.attestation_workers,
                  [this](std::uint64_t order, AttestationOutcome&& outcome) {
                    signatures_ += outcome.signatures_checked;
                    for (VerifyAnomaly& anomaly : outcome.anomalies) {
                      log_.add(order, std::move(anomaly));
                    }
                  });
  }

  void begin_tenant(const TenantEntry& tenant) override {
    tenant_ = tenant;
    tenant_tree_.emplace(hasher_);
    tenant_artifacts_ = 0;
    ++counts_.tenants;
  }

  void begin_bundle(const BundleEntry& bundle) override {
    if (test_delay_.count() > 0) {
      std::this_thread::sleep_for(test_delay_);
    }
    ++event_;
    ++counts_.bundles;
    bundle_tree_.emplace(hasher_);
    job_ = AttestationJob{};
    job_.tenant_id = bundle.tenant_id;
    job_.bundle_id = bundle.bundle_id;
    job_.kind = bundle.kind;
    job_.sealed_at = bundle.sealed_at;
    job_.attestation = bundle.attestation;
    bundle_stored_root_ = bundle.stored_root;
  }

  void artifact(const ArtifactEntry& artifact) override {
    ++counts_.artifacts;
    ++tenant_artifacts_;
    counts_.bytes += static_cast<std::int64_t>(artifact.content.size());
    const std::string recomputed =
        format_digest(hasher_.algorithm_id(), hasher_.digest(artifact.content));
    if (artifact.stored_digest.empty()) {
      // An artifact added by hand, or one whose digest row was deleted: nothing to compare.
      walk_anomaly(verify_check::kArtifactDigest, std::string(artifact.path), "a stored digest",
                   "none",
                   "the artifact has no digest in this generation: it was added, or its digest "
                   "removed, outside stella");
    } else if (recomputed != artifact.stored_digest) {
      walk_anomaly(verify_check::kArtifactDigest, std::string(artifact.path),
                   std::string(artifact.stored_digest), recomputed,
                   "the artifact's bytes do not hash to its stored digest: its content changed");
    }
    if (artifact.recorded_size != static_cast<std::int64_t>(artifact.content.size())) {
      walk_anomaly(verify_check::kArtifactSize, std::string(artifact.path),
                   std::to_string(artifact.recorded_size) + " bytes",
                   std::to_string(artifact.content.size()) + " bytes",
                   "the artifact's recorded size differs from its stored bytes");
    }
    bundle_tree_->add_leaf_hash(artifact_leaf_hash(hasher_, artifact.path, artifact.stored_digest));
    // Attestations sign sha256 subjects. After a reindex the walked generation uses another
    // algorithm, so the attested digest is recomputed from the same bytes in sha256.
    job_.artifacts.emplace_back(
        std::string(artifact.path),
        attestation_hasher_
            ? format_digest(kAttestedAlgorithm, attestation_hasher_->digest(artifact.content))
            : std::string(artifact.stored_digest));
    if (options_.progress && counts_.artifacts % kProgressEvery == 0) {
      options_.progress(counts_.artifacts, total_);
    }
  }

  void end_bundle() override {
    const std::string recomputed = format_digest(hasher_.algorithm_id(), bundle_tree_->root());
    if (recomputed != bundle_stored_root_) {
      walk_anomaly(verify_check::kBundleRoot, {}, bundle_stored_root_, recomputed,
                   "the bundle's stored root does not match its artifacts' paths and stored "
                   "digests: an artifact was added, removed, renamed or re-digested");
    }
    tenant_tree_->add_leaf_hash(bundle_leaf_hash(hasher_, job_.bundle_id, bundle_stored_root_));
    pool_->submit((event_ << kPhaseBits) | kAttestationPhase, std::move(job_));
    job_ = AttestationJob{};
  }

  void end_tenant() override {
    ++event_;
    job_ = AttestationJob{};
    job_.tenant_id = tenant_.tenant_id;
    const std::string recomputed = format_digest(hasher_.algorithm_id(), tenant_tree_->root());
    const auto bundles = static_cast<std::int64_t>(tenant_tree_->size());
    std::string root_for_global = recomputed;
    if (!tenant_.stored_root) {
      walk_anomaly(verify_check::kTenantRoot, {}, "a stored tenant root", "none",
                   "the store holds no root for this tenant; recompute roots by seeding or "
                   "importing, or restore evidence.tenant_roots");
    } else {
      root_for_global = tenant_.stored_root->root;
      if (tenant_.stored_root->root != recomputed) {
        walk_anomaly(verify_check::kTenantRoot, {}, tenant_.stored_root->root, recomputed,
                     "the tenant's stored root does not match its bundles' stored roots: a "
                     "bundle was added, removed, moved or re-rooted, or the root was edited");
      }
      if (tenant_.stored_root->bundle_count != bundles ||
          tenant_.stored_root->artifact_count != tenant_artifacts_) {
        walk_anomaly(verify_check::kTenantCounts, {},
                     std::to_string(tenant_.stored_root->bundle_count) + " bundles, " +
                         std::to_string(tenant_.stored_root->artifact_count) + " artifacts",
                     std::to_string(bundles) + " bundles, " + std::to_string(tenant_artifacts_) +
                         " artifacts",
                     "the counts stored with the tenant root differ from the tenant's evidence");
      }
    }
    global_.add_leaf_hash(tenant_leaf_hash(hasher_, tenant_.tenant_id, root_for_global));
    job_ = AttestationJob{};
  }

  std::optional<std::string> stored_global_root() const {
    return stored_global_ ? std::optional<std::string>(stored_global_->root) : std::nullopt;
  }

  /// Waits for the attestation checks and compares the global root; call after the walk.
  std::string finish() {
    if (pool_) {
      pool_->finish();
    }
    counts_.signatures = signatures_;
    const std::optional<StoredGlobalRoot>& stored = stored_global_;
    ++event_;
    job_ = AttestationJob{};
    tenant_ = TenantEntry{};
    const std::string recomputed = format_digest(hasher_.algorithm_id(), global_.root());
    if (!stored) {
      walk_anomaly(verify_check::kGlobalRoot, {}, "a stored global root", "none",
                   "evidence.store_root holds no global root");
      return recomputed;
    }
    if (stored->root != recomputed) {
      walk_anomaly(verify_check::kGlobalRoot, {}, stored->root, recomputed,
                   "the stored global root does not match the stored tenant roots: a tenant "
                   "was added or removed, or a root was edited");
    }
    if (stored->tenant_count != counts_.tenants || stored->bundle_count != counts_.bundles ||
        stored->artifact_count != counts_.artifacts) {
      walk_anomaly(verify_check::kGlobalCounts, {},
                   std::to_string(stored->tenant_count) + " tenants, " +
                       std::to_string(stored->bundle_count) + " bundles, " +
                       std::to_string(stored->artifact_count) + " artifacts",
                   std::to_string(counts_.tenants) + " tenants, " +
                       std::to_string(counts_.bundles) + " bundles, " +
                       std::to_string(counts_.artifacts) + " artifacts",
                   "the counts stored with the global root differ from the store's evidence");
    }
    return recomputed;
  }

 private:
  void walk_anomaly(const char* check, std::string artifact, std::string expected,
                    std::string found, std::string message) {
    log_.add((event_ << kPhaseBits) | kWalkPhase,
             VerifyAnomaly{check, job_.tenant_id.empty() ? tenant_.tenant_id : job_.tenant_id,
                           job_.bundle_id, std::move(artifact), std::move(expected),
                           std::move(found), std::move(message)});
  }

  const TreeHasher& hasher_;
  AnomalyLog& log_;
  VerifyCounts& counts_;
  const VerifyOptions& options_;
  std::int64_t total_ = 0;
  std::optional<StoredGlobalRoot> stored_global_;
  SigningKeyring keyring_;
  std::atomic<std::int64_t> signatures_{0};
  /// Declared after the keyring it reads, so it stops first.
  std::optional<AttestationCheckPool> pool_;
  MerkleRootBuilder global_;
  std::optional<MerkleRootBuilder> tenant_tree_;
  std::optional<MerkleRootBuilder> bundle_tree_;
  TenantEntry tenant_;
  std::int64_t tenant_artifacts_ = 0;
  AttestationJob job_;
  std::string bundle_stored_root_;
  std::uint64_t event_ = 0;
  /// Null when the walked generation already is sha256 (its stored digests are checked above).
  std::unique_ptr<TreeHasher> attestation_hasher_;
  // Test-only: tests lose the connection of a verification part-way (core/test_delay.hpp).
  std::chrono::milliseconds test_delay_;
};

}  // namespace

VerifyReport verify_store(const std::string& conninfo, const StoreLayout& layout,
                          const VerifyOptions& options) {
  VerifyReport report;
  const auto clock_start = std::chrono::steady_clock::now();
  report.started_at = iso8601_from_unix_micros(unix_micros_now());
  report.schema_version = layout.schema_version();
  {
    auto connection = PgConnection::connect(conninfo);
    report.database = database_name(*connection);
    report.algorithm = layout.read_generation(*connection).algorithm;
  }
  const auto hasher = hasher_for_algorithm(report.algorithm);
  AnomalyLog log;
  VerifyingVisitor visitor(*hasher, log, report.checked, options);
  layout.stream_evidence(conninfo, visitor);
  report.recomputed_global_root = visitor.finish();
  report.stored_global_root = visitor.stored_global_root();
  log.move_into(report);
  report.finished_at = iso8601_from_unix_micros(unix_micros_now());
  report.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  return report;
}

}  // namespace stella::host
