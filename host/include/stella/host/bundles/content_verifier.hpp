// The host's side of every import and of verify-bundle: an ImportSink that recomputes, from what
// an importer reads, every artifact digest, every bundle root, every tenant root, the global root
// and every inclusion proof, and names each value that does not match what the source declares.
// It writes nothing anywhere; what it keeps is fixed-size per bundle (ids, seal time, root and a
// fingerprint), so a million artifacts pass through in flat memory.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/storage_importer.hpp"

namespace stella::host {

/// Names of the checks, as they appear in reports ("check" of a problem). Importers add their own
/// (checksum, missing_file, extra_file, unexpected_file, ...).
namespace bundle_check {
inline constexpr const char* kArtifactDigest = "artifact_digest";
inline constexpr const char* kBundleRoot = "bundle_root";
inline constexpr const char* kTenantRoot = "tenant_root";
inline constexpr const char* kTenantCounts = "tenant_counts";
inline constexpr const char* kGlobalRoot = "global_root";
inline constexpr const char* kBundleProof = "bundle_proof";
inline constexpr const char* kTenantProof = "tenant_proof";
inline constexpr const char* kDuplicate = "duplicate";
inline constexpr const char* kAlgorithm = "algorithm";
inline constexpr const char* kTimestamp = "timestamp";
inline constexpr const char* kAttestation = "attestation";
inline constexpr const char* kSigningKey = "signing_key";
inline constexpr const char* kUnreadable = "unreadable";
}  // namespace bundle_check

/// One value that does not verify. Empty fields do not apply.
struct BundleProblem {
  std::string check;
  /// The file in the source, when the problem is about one.
  std::string file;
  std::string tenant;
  std::string bundle;
  std::string artifact;
  std::string expected;
  std::string found;
  std::string message;
};

/// A tenant as the source holds it.
struct VerifiedTenant {
  std::string tenant;
  std::string display_name;
  /// The root the source declares; nullopt when it declares none (object stores).
  std::optional<std::string> declared_root;
  /// Recomputed from the bundles the source holds.
  std::string computed_root;
  /// The same in the store's algorithm (equal to computed_root when they are the same).
  std::string store_root;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  /// The source carried a proof of this tenant's root in the global root, and it verified.
  bool proof_verified = false;
};

/// A bundle as the source holds it: what an import needs to decide whether it is new, already
/// present, or a conflict.
struct VerifiedBundle {
  std::string tenant;
  std::string bundle_id;
  std::int64_t sealed_at_unix_us = 0;
  /// Recomputed from the artifacts, "alg:<hex>".
  std::string root;
  /// bundle_fingerprint() of the bundle as read.
  std::string fingerprint;
  /// Root and fingerprint with digests in the store's algorithm (what the store would hold for
  /// this bundle); empty when the algorithms are the same (kept once: there is one per bundle).
  std::string store_root;
  std::string store_fingerprint;

  const std::string& root_in_store() const { return store_root.empty() ? root : store_root; }
  const std::string& fingerprint_in_store() const {
    return store_fingerprint.empty() ? fingerprint : store_fingerprint;
  }
};

/// Everything verifying a source found out.
struct SourceVerification {
  std::string algorithm;
  /// "sha256:<hex>" of the source's manifest bytes; empty when it has none.
  std::string manifest_digest;
  /// The manifest's bytes, when it has one (for reports; kilobytes).
  std::string manifest_json;
  std::optional<std::string> declared_global_root;
  /// Tenants under the declared global root (-1: not declared).
  std::int64_t declared_tenant_count = -1;
  /// The global root recomputed from the tenants (meaningful when global_root_recomputed).
  std::string computed_global_root;
  /// True when the source holds every tenant of the global root, so it could be recomputed.
  bool global_root_recomputed = false;
  /// True when the source could not be read to its end (an `unreadable` problem says why): its
  /// roots were not checked.
  bool stopped_early = false;
  /// In tenant id order.
  std::vector<VerifiedTenant> tenants;
  std::vector<SigningKeyRecord> signing_keys;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t artifact_bytes = 0;
  std::int64_t attestations = 0;
  std::int64_t proofs_verified = 0;
  std::int64_t signatures_verified = 0;
  /// At most kMaxListedProblems; problem_count counts all.
  std::vector<BundleProblem> problems;
  std::int64_t problem_count = 0;
  /// SHA-256 over everything read, in order: two reads of an unchanged source give the same.
  std::string stream_digest;

  bool passed() const { return problem_count == 0; }
};

/// Problems listed in a report; beyond this only the count grows.
inline constexpr std::size_t kMaxListedProblems = 10000;

/// Ownership: plain object; keep it for the duration of one StorageImporter::read.
/// Thread-safety: one thread.
/// Failure: throws sdk::Error(invalid_input) when the importer breaks the ImportSink order (an
/// artifact of no open bundle) or sends a malformed digest or root string; content that does not
/// verify becomes a problem in the result, not an exception.
class ContentVerifier final : public sdk::ImportSink {
 public:
  /// `store_algorithm`: the algorithm of the store the source is compared with or loaded into;
  /// when it differs from the source's, every bundle's root and fingerprint are also computed with
  /// it (from the bytes read). Empty: the source's own.
  explicit ContentVerifier(std::string store_algorithm = {});

  /// Whether attestation signatures are checked (they are by default). Import's loading pass turns
  /// it off: the first pass checked them, and the stream digest proves the same bytes came again.
  void check_signatures(bool check) { check_signatures_ = check; }
  ~ContentVerifier() override;

  void source_manifest(const std::string& manifest_json) override;
  void tenant(const sdk::ImportedTenant& tenant) override;
  void signing_key(const sdk::ImportedSigningKey& key) override;
  void bundle(const sdk::ImportedBundle& bundle) override;
  void artifact(const sdk::ImportedArtifact& artifact) override;
  void attestation(const sdk::ImportedAttestation& attestation) override;
  void declared_root(const sdk::DeclaredRoot& root) override;
  void proof(const sdk::ImportedProof& proof) override;
  void problem(const sdk::SourceProblem& problem) override;

  /// Records a problem found outside the stream. A problem of check "unreadable" (the importer
  /// could not read the source to its end) also stops finish() from comparing roots and counts,
  /// which would only repeat that the source is incomplete.
  void add_problem(BundleProblem problem);

  /// The bundle of this id that was read and closed, or null.
  const VerifiedBundle* find_bundle(const std::string& bundle_id) const;

  /// After read() returned: closes the last bundle and checks tenant roots, the global root and
  /// what was declared but never arrived. Call once.
  void finish();

  const SourceVerification& result() const { return result_; }
  /// Every bundle, in the order the source sent them.
  const std::deque<VerifiedBundle>& bundles() const { return bundles_; }
  /// Hands the bundles over after finish() (the verifier knows none afterwards).
  std::deque<VerifiedBundle> release_bundles() {
    bundle_index_.clear();
    return std::move(bundles_);
  }

  /// The algorithm's hasher, once a digest or root named it; null before.
  const TreeHasher* hasher() const { return hasher_.get(); }

 private:
  struct OpenBundle;
  struct TenantState;

  void close_bundle();
  const TreeHasher& attested_hasher();
  void set_algorithm(const std::string& algorithm);
  void use_algorithm(const std::string& digest_text, const std::string& where);
  TenantState& tenant_state(const std::string& tenant);
  void verify_bundle_proof(const sdk::ImportedProof& proof);
  void verify_tenant_proof(const sdk::ImportedProof& proof);
  void check_attestation_signature(const OpenBundle& bundle);
  /// Waits for the signature checks under way and records their outcomes.
  void drain_signature_checks();
  static unsigned signature_workers();

  SourceVerification result_;
  std::string store_algorithm_;
  std::unique_ptr<TreeHasher> hasher_;
  /// Set only when the store's algorithm differs from the source's.
  std::unique_ptr<TreeHasher> store_hasher_;
  std::unique_ptr<TreeHasher> attested_hasher_;
  std::unique_ptr<OpenBundle> open_;
  std::map<std::string, TenantState, std::less<>> tenants_;
  /// bundle id (a view into bundles_, which never moves an element) -> its index in bundles_.
  std::unordered_map<std::string_view, std::size_t> bundle_index_;
  std::deque<VerifiedBundle> bundles_;
  struct StreamDigest;
  std::unique_ptr<StreamDigest> stream_;
  struct Keyring;
  std::unique_ptr<Keyring> keyring_;
  bool finished_ = false;
  bool unreadable_ = false;
  bool check_signatures_ = true;
};

}  // namespace stella::host
