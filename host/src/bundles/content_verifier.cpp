#include "stella/host/bundles/content_verifier.hpp"

#include <algorithm>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>

#include "bundles/bundle_fingerprint.hpp"
#include "bundles/canonical_json.hpp"
#include "bundles/rfc3339_time.hpp"
#include "bundles/sha256_stream.hpp"
#include "evidence/attestation_check.hpp"
#include "evidence/attestation_check_pool.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/hasher_for_algorithm.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// The algorithm of a source that names none anywhere (no artifact, no root): its empty trees are
/// sha256's, the algorithm of every store's first generation.
constexpr const char* kDefaultAlgorithm = "sha256";
/// The algorithm of the subjects a bundle's in-toto statement signs (as `stella evidence seed` and
/// evidence services write them): an export of a reindexed store carries other digests, so the
/// attested ones are recomputed from the same bytes, as verify-all does.
constexpr const char* kAttestedAlgorithm = "sha256";

}  // namespace

struct ContentVerifier::OpenBundle {
  sdk::ImportedBundle source;
  std::int64_t sealed_at_unix_us = 0;
  std::int64_t created_at_unix_us = 0;
  /// (path, leaf hash), sorted by path when the bundle closes.
  std::vector<std::pair<std::string, DigestBytes>> leaves;
  std::vector<BundleArtifactIdentity> artifacts;
  /// Leaves and identities in the store's algorithm (only when it differs from the source's).
  std::vector<std::pair<std::string, DigestBytes>> store_leaves;
  std::vector<BundleArtifactIdentity> store_artifacts;
  std::optional<std::string> attestation;
  /// Its canonical form (RFC 8785), as the bundle's fingerprint takes it; computed once, when the
  /// attestation arrives and its JSON is checked.
  std::optional<std::string> canonical_attestation;
  /// (path, digest in kAttestedAlgorithm), for the attestation's subjects.
  std::vector<std::pair<std::string, std::string>> attested;
  bool duplicate = false;
};

struct ContentVerifier::TenantState {
  std::string display_name;
  std::optional<std::string> declared_root;
  std::int64_t declared_bundles = -1;
  std::int64_t artifacts = 0;
  bool proof_verified = false;
};

struct ContentVerifier::StreamDigest {
  Sha256Stream stream;
};

/// Signatures are checked on worker threads while the source streams on (an Ed25519
/// verification costs about as much as hashing a hundred 1 KiB artifacts); outcomes are collected
/// with their order and reported in source order.
struct ContentVerifier::Keyring {
  SigningKeyring keys;
  std::mutex mutex;
  std::vector<std::pair<std::uint64_t, AttestationOutcome>> outcomes;
  std::uint64_t next_order = 0;
  std::unique_ptr<AttestationCheckPool> pool;
};

ContentVerifier::ContentVerifier(std::string store_algorithm)
    : store_algorithm_(std::move(store_algorithm)), stream_(std::make_unique<StreamDigest>()) {}

ContentVerifier::~ContentVerifier() = default;

void ContentVerifier::add_problem(BundleProblem problem) {
  if (problem.check == bundle_check::kUnreadable) {
    unreadable_ = true;
  }
  ++result_.problem_count;
  if (result_.problems.size() < kMaxListedProblems) {
    result_.problems.push_back(std::move(problem));
  }
}

void ContentVerifier::problem(const sdk::SourceProblem& problem) {
  stream_->stream.field("problem");
  stream_->stream.field(problem.check);
  stream_->stream.field(problem.file);
  add_problem(
      {problem.check, problem.file, "", "", "", problem.expected, problem.found, problem.message});
}

void ContentVerifier::use_algorithm(const std::string& digest_text, const std::string& where) {
  ParsedDigest parsed;
  try {
    parsed = parse_digest(digest_text);
  } catch (const sdk::Error& e) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, where + ": " + e.what(),
                     "nothing was imported; the source is damaged or was edited by hand");
  }
  if (!hasher_) {
    set_algorithm(parsed.algorithm_id);
    return;
  }
  if (parsed.algorithm_id != result_.algorithm) {
    add_problem({bundle_check::kAlgorithm, "", "", "", "", result_.algorithm, parsed.algorithm_id,
                 where + " uses " + parsed.algorithm_id + " while the rest of the source uses " +
                     result_.algorithm + "; one bundle holds one generation of digests"});
  }
}

unsigned ContentVerifier::signature_workers() {
  // One core keeps streaming the source; the others check signatures.
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores - 1 : 1;
}

const TreeHasher& ContentVerifier::attested_hasher() {
  if (!attested_hasher_) {
    attested_hasher_ = make_evp_hasher(kAttestedAlgorithm);
  }
  return *attested_hasher_;
}

const VerifiedBundle* ContentVerifier::find_bundle(const std::string& bundle_id) const {
  const auto found = bundle_index_.find(bundle_id);
  return found == bundle_index_.end() ? nullptr : &bundles_[found->second];
}

void ContentVerifier::set_algorithm(const std::string& algorithm) {
  hasher_ = hasher_for_algorithm(algorithm);
  result_.algorithm = algorithm;
  if (!store_algorithm_.empty() && store_algorithm_ != algorithm) {
    store_hasher_ = hasher_for_algorithm(store_algorithm_);
  }
}

ContentVerifier::TenantState& ContentVerifier::tenant_state(const std::string& tenant) {
  return tenants_[tenant];
}

void ContentVerifier::source_manifest(const std::string& manifest_json) {
  stream_->stream.field("manifest");
  stream_->stream.field(manifest_json);
  result_.manifest_json = manifest_json;
  result_.manifest_digest = "sha256:" + sha256_hex_of(manifest_json);
}

void ContentVerifier::tenant(const sdk::ImportedTenant& tenant) {
  stream_->stream.field("tenant");
  stream_->stream.field(tenant.tenant);
  stream_->stream.field(tenant.display_name);
  TenantState& state = tenant_state(tenant.tenant);
  if (!tenant.display_name.empty()) {
    state.display_name = tenant.display_name;
  }
}

void ContentVerifier::signing_key(const sdk::ImportedSigningKey& key) {
  stream_->stream.field("key");
  stream_->stream.field(key.key_id);
  stream_->stream.field(key.algorithm);
  stream_->stream.field(key.public_key_pem);
  for (const SigningKeyRecord& known : result_.signing_keys) {
    if (known.key_id == key.key_id) {
      if (known.public_key_pem != key.public_key_pem || known.algorithm != key.algorithm) {
        add_problem({bundle_check::kSigningKey, "", "", "", "", known.public_key_pem,
                     key.public_key_pem,
                     "the source holds two different keys under the id '" + key.key_id + "'"});
      }
      return;
    }
  }
  result_.signing_keys.push_back({key.key_id, key.algorithm, key.public_key_pem});
  // A key arriving after signatures were checked: finish those with the old keyring first.
  drain_signature_checks();
  keyring_.reset();
}

void ContentVerifier::declared_root(const sdk::DeclaredRoot& root) {
  stream_->stream.field("root");
  stream_->stream.field(root.tenant);
  stream_->stream.field(root.root);
  stream_->stream.field(std::to_string(root.leaf_count));
  use_algorithm(root.root,
                root.tenant.empty() ? "the global root" : "the root of tenant " + root.tenant);
  if (root.tenant.empty()) {
    if (result_.declared_global_root) {
      add_problem({bundle_check::kDuplicate, "", "", "", "", *result_.declared_global_root,
                   root.root, "the source declares the global root twice"});
      return;
    }
    result_.declared_global_root = root.root;
    result_.declared_tenant_count = root.leaf_count;
    return;
  }
  TenantState& state = tenant_state(root.tenant);
  if (state.declared_root) {
    add_problem({bundle_check::kDuplicate, "", root.tenant, "", "", *state.declared_root, root.root,
                 "the source declares tenant " + root.tenant + "'s root twice"});
    return;
  }
  state.declared_root = root.root;
  state.declared_bundles = root.leaf_count;
}

void ContentVerifier::bundle(const sdk::ImportedBundle& bundle) {
  close_bundle();
  stream_->stream.field("bundle");
  for (const std::string* field :
       {&bundle.tenant, &bundle.bundle_id, &bundle.kind, &bundle.status, &bundle.subject,
        &bundle.created_at, &bundle.sealed_at, &bundle.declared_root}) {
    stream_->stream.field(*field);
  }
  auto open = std::make_unique<OpenBundle>();
  open->source = bundle;
  const auto sealed = parse_rfc3339_utc_micros(bundle.sealed_at);
  const auto created = parse_rfc3339_utc_micros(bundle.created_at);
  if (!sealed || !created) {
    add_problem({bundle_check::kTimestamp, "", bundle.tenant, bundle.bundle_id, "",
                 "RFC 3339 UTC with at most microseconds (2026-01-31T12:00:00.123456Z)",
                 sealed ? bundle.created_at : bundle.sealed_at,
                 "bundle " + bundle.bundle_id + " has a time that cannot be stored exactly"});
  }
  open->sealed_at_unix_us = sealed.value_or(0);
  open->created_at_unix_us = created.value_or(0);
  if (!bundle.declared_root.empty()) {
    use_algorithm(bundle.declared_root, "the root of bundle " + bundle.bundle_id);
  }
  if (bundle_index_.count(bundle.bundle_id) != 0) {
    open->duplicate = true;
    add_problem({bundle_check::kDuplicate, "", bundle.tenant, bundle.bundle_id, "",
                 "each bundle once", "bundle " + bundle.bundle_id + " again",
                 "the source holds bundle " + bundle.bundle_id + " twice"});
  }
  open_ = std::move(open);
}

void ContentVerifier::artifact(const sdk::ImportedArtifact& artifact) {
  if (!open_ || open_->source.bundle_id != artifact.bundle_id ||
      open_->source.tenant != artifact.tenant) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "artifact " + artifact.path + " of bundle " + artifact.bundle_id +
                         " arrived outside its bundle (the importer must send a bundle before its "
                         "artifacts)",
                     "this is a bug in the importer plugin");
  }
  use_algorithm(artifact.declared_digest,
                "artifact " + artifact.path + " of bundle " + artifact.bundle_id);
  const std::string computed =
      format_digest(hasher_->algorithm_id(), hasher_->digest(artifact.bytes));
  stream_->stream.field("artifact");
  stream_->stream.field(artifact.path);
  stream_->stream.field(artifact.media_type);
  stream_->stream.field(artifact.declared_digest);
  stream_->stream.field(computed);
  if (computed != artifact.declared_digest) {
    add_problem({bundle_check::kArtifactDigest, "", artifact.tenant, artifact.bundle_id,
                 artifact.path, artifact.declared_digest, computed,
                 "the artifact's bytes do not hash to the digest its bundle records"});
  }
  // The leaf binds the path to the digest of the bytes actually read: a changed artifact changes
  // the recomputed bundle root even when its declared digest was changed to match.
  open_->leaves.emplace_back(artifact.path, artifact_leaf_hash(*hasher_, artifact.path, computed));
  open_->artifacts.push_back({artifact.path, artifact.media_type, computed});
  open_->attested.emplace_back(
      artifact.path,
      hasher_->algorithm_id() == kAttestedAlgorithm
          ? computed
          : format_digest(kAttestedAlgorithm, attested_hasher().digest(artifact.bytes)));
  if (store_hasher_) {
    const std::string in_store =
        format_digest(store_hasher_->algorithm_id(), store_hasher_->digest(artifact.bytes));
    open_->store_leaves.emplace_back(artifact.path,
                                     artifact_leaf_hash(*store_hasher_, artifact.path, in_store));
    open_->store_artifacts.push_back({artifact.path, artifact.media_type, in_store});
  }
  ++result_.artifacts;
  result_.artifact_bytes += static_cast<std::int64_t>(artifact.bytes.size());
  ++tenant_state(artifact.tenant).artifacts;
}

void ContentVerifier::attestation(const sdk::ImportedAttestation& attestation) {
  if (!open_ || open_->source.bundle_id != attestation.bundle_id ||
      open_->source.tenant != attestation.tenant) {
    throw sdk::Error(
        sdk::ErrorCode::invalid_input,
        "the attestation of bundle " + attestation.bundle_id + " arrived outside its bundle",
        "this is a bug in the importer plugin");
  }
  stream_->stream.field("attestation");
  stream_->stream.field(attestation.envelope_json);
  if (open_->attestation) {
    add_problem({bundle_check::kDuplicate, "", attestation.tenant, attestation.bundle_id, "",
                 "one attestation", "a second one",
                 "bundle " + attestation.bundle_id + " has two attestations"});
    return;
  }
  auto canonical = canonical_json(attestation.envelope_json);
  if (!canonical) {
    add_problem({bundle_check::kAttestation, "", attestation.tenant, attestation.bundle_id, "",
                 "a JSON DSSE envelope", "text that is not JSON",
                 "bundle " + attestation.bundle_id + "'s attestation is not valid JSON"});
    return;
  }
  open_->attestation = attestation.envelope_json;
  open_->canonical_attestation = std::move(canonical);
  ++result_.attestations;
}

void ContentVerifier::check_attestation_signature(const OpenBundle& bundle) {
  if (!check_signatures_ || !bundle.attestation || result_.signing_keys.empty()) {
    // Without keys in the source there is nothing to check a signature against here; the store
    // that receives the bundle checks it against its own keys (verify-all).
    return;
  }
  if (!keyring_) {
    keyring_ = std::make_unique<Keyring>();
    keyring_->keys = make_keyring(result_.signing_keys);
    Keyring* ring = keyring_.get();
    keyring_->pool = std::make_unique<AttestationCheckPool>(
        keyring_->keys, signature_workers(),
        [ring](std::uint64_t order, AttestationOutcome&& outcome) {
          const std::lock_guard<std::mutex> lock(ring->mutex);
          ring->outcomes.emplace_back(order, std::move(outcome));
        });
  }
  AttestationJob job;
  job.tenant_id = bundle.source.tenant;
  job.bundle_id = bundle.source.bundle_id;
  // The kind and seal time the bundle would be stored with, which its predicate must sign.
  job.kind = bundle.source.kind;
  job.sealed_at = rfc3339_utc_as_stored(bundle.source.sealed_at);
  job.attestation = bundle.attestation;
  job.artifacts = bundle.attested;
  std::sort(job.artifacts.begin(), job.artifacts.end());
  keyring_->pool->submit(keyring_->next_order++, std::move(job));
}

void ContentVerifier::drain_signature_checks() {
  if (!keyring_ || !keyring_->pool) {
    return;
  }
  keyring_->pool->finish();
  keyring_->pool.reset();
  std::sort(keyring_->outcomes.begin(), keyring_->outcomes.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, outcome] : keyring_->outcomes) {
    result_.signatures_verified += outcome.signatures_checked;
    for (const VerifyAnomaly& anomaly : outcome.anomalies) {
      add_problem({anomaly.check, "", anomaly.tenant, anomaly.bundle, anomaly.artifact,
                   anomaly.expected, anomaly.found, anomaly.message});
    }
  }
  keyring_->outcomes.clear();
}

void ContentVerifier::close_bundle() {
  if (!open_) {
    return;
  }
  std::unique_ptr<OpenBundle> bundle = std::move(open_);
  const sdk::ImportedBundle& source = bundle->source;
  std::sort(bundle->leaves.begin(), bundle->leaves.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < bundle->leaves.size(); ++i) {
    if (bundle->leaves[i].first == bundle->leaves[i - 1].first) {
      add_problem(
          {bundle_check::kDuplicate, "", source.tenant, source.bundle_id, bundle->leaves[i].first,
           "each path once", "twice",
           "bundle " + source.bundle_id + " holds artifact " + bundle->leaves[i].first + " twice"});
    }
  }
  if (!hasher_) {
    // A bundle without artifacts from a source that named no algorithm anywhere: the empty tree
    // of the default algorithm.
    set_algorithm(kDefaultAlgorithm);
  }
  MerkleRootBuilder builder(*hasher_);
  for (auto& [path, leaf] : bundle->leaves) {
    builder.add_leaf_hash(std::move(leaf));
  }
  const std::string computed = format_digest(hasher_->algorithm_id(), builder.root());
  if (!source.declared_root.empty() && computed != source.declared_root) {
    add_problem(
        {bundle_check::kBundleRoot, "", source.tenant, source.bundle_id, "", source.declared_root,
         computed,
         "bundle " + source.bundle_id + "'s artifacts do not recompute to the root it declares"});
  }
  check_attestation_signature(*bundle);
  if (bundle->duplicate) {
    return;
  }
  BundleIdentity identity;
  identity.tenant = source.tenant;
  identity.bundle_id = source.bundle_id;
  identity.kind = source.kind;
  identity.status = source.status;
  identity.subject = source.subject;
  identity.created_at_unix_us = bundle->created_at_unix_us;
  identity.sealed_at_unix_us = bundle->sealed_at_unix_us;
  identity.root = computed;
  identity.attestation = std::move(bundle->canonical_attestation);
  identity.artifacts = std::move(bundle->artifacts);
  BundleIdentity store_identity = identity;
  const std::string fingerprint = bundle_fingerprint(std::move(identity));
  stream_->stream.field(fingerprint);
  std::string store_root;
  std::string store_fingerprint;
  if (store_hasher_) {
    std::sort(bundle->store_leaves.begin(), bundle->store_leaves.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    MerkleRootBuilder store_builder(*store_hasher_);
    for (auto& [path, leaf] : bundle->store_leaves) {
      store_builder.add_leaf_hash(std::move(leaf));
    }
    store_root = format_digest(store_hasher_->algorithm_id(), store_builder.root());
    store_identity.root = store_root;
    store_identity.artifacts = std::move(bundle->store_artifacts);
    store_fingerprint = bundle_fingerprint(std::move(store_identity));
  }
  bundles_.push_back({source.tenant, source.bundle_id, bundle->sealed_at_unix_us, computed,
                      fingerprint, store_root, store_fingerprint});
  bundle_index_.emplace(bundles_.back().bundle_id, bundles_.size() - 1);
  tenant_state(source.tenant);
  ++result_.bundles;
}

void ContentVerifier::proof(const sdk::ImportedProof& proof) {
  stream_->stream.field("proof");
  stream_->stream.field(proof.tenant);
  stream_->stream.field(proof.bundle_id);
  stream_->stream.field(std::to_string(proof.leaf_index));
  stream_->stream.field(std::to_string(proof.tree_size));
  for (const std::string& step : proof.path) {
    stream_->stream.field(step);
  }
  stream_->stream.field(proof.root);
  if (!proof.bundle_id.empty()) {
    if (open_ && open_->source.bundle_id == proof.bundle_id) {
      close_bundle();
    }
    verify_bundle_proof(proof);
  } else {
    verify_tenant_proof(proof);
  }
}

namespace {

/// The proof's path and root as digests of the verifier's algorithm; nullopt (with `why`) when a
/// string is malformed or of another algorithm.
std::optional<std::pair<std::vector<DigestBytes>, DigestBytes>> proof_digests(
    const sdk::ImportedProof& proof, const std::string& algorithm, std::string& why) {
  std::vector<DigestBytes> path;
  try {
    for (const std::string& step : proof.path) {
      ParsedDigest parsed = parse_digest(step);
      if (parsed.algorithm_id != algorithm) {
        why = "a path step uses " + parsed.algorithm_id + ", not " + algorithm;
        return std::nullopt;
      }
      path.push_back(std::move(parsed.bytes));
    }
    ParsedDigest root = parse_digest(proof.root);
    if (root.algorithm_id != algorithm) {
      why = "its root uses " + root.algorithm_id + ", not " + algorithm;
      return std::nullopt;
    }
    return std::make_pair(std::move(path), std::move(root.bytes));
  } catch (const sdk::Error& e) {
    why = e.what();
    return std::nullopt;
  }
}

}  // namespace

void ContentVerifier::verify_bundle_proof(const sdk::ImportedProof& proof) {
  const auto index = bundle_index_.find(proof.bundle_id);
  if (index == bundle_index_.end()) {
    add_problem(
        {bundle_check::kBundleProof, "", proof.tenant, proof.bundle_id, "",
         "a proof of a bundle the source holds", "a proof of an unknown bundle",
         "the source carries a proof for bundle " + proof.bundle_id + ", which it does not hold"});
    return;
  }
  const VerifiedBundle& bundle = bundles_[index->second];
  const TenantState& tenant = tenant_state(bundle.tenant);
  if (proof.tenant != bundle.tenant || !tenant.declared_root ||
      proof.root != *tenant.declared_root) {
    add_problem({bundle_check::kBundleProof, "", bundle.tenant, bundle.bundle_id, "",
                 tenant.declared_root.value_or("a declared tenant root"), proof.root,
                 "bundle " + bundle.bundle_id +
                     "'s proof leads to another root than its tenant's declared root"});
    return;
  }
  std::string why;
  const auto digests = proof_digests(proof, result_.algorithm, why);
  if (!digests) {
    add_problem({bundle_check::kBundleProof, "", bundle.tenant, bundle.bundle_id, "",
                 "a proof in " + result_.algorithm, why,
                 "bundle " + bundle.bundle_id + "'s proof is malformed"});
    return;
  }
  const DigestBytes leaf = bundle_leaf_hash(*hasher_, bundle.bundle_id, bundle.root);
  if (!verify_inclusion(*hasher_, proof.leaf_index, proof.tree_size, leaf, digests->first,
                        digests->second)) {
    add_problem({bundle_check::kBundleProof, "", bundle.tenant, bundle.bundle_id, "",
                 "an audit path from the bundle's recomputed root to " + proof.root,
                 "a path that leads elsewhere",
                 "bundle " + bundle.bundle_id + "'s inclusion proof does not verify"});
    return;
  }
  ++result_.proofs_verified;
}

void ContentVerifier::verify_tenant_proof(const sdk::ImportedProof& proof) {
  const auto state = tenants_.find(proof.tenant);
  if (state == tenants_.end() || !state->second.declared_root) {
    add_problem({bundle_check::kTenantProof, "", proof.tenant, "", "",
                 "a proof of a tenant the source declares", "a proof of an unknown tenant",
                 "the source carries a proof for tenant " + proof.tenant +
                     ", whose root it does not declare"});
    return;
  }
  if (!result_.declared_global_root || proof.root != *result_.declared_global_root) {
    add_problem({bundle_check::kTenantProof, "", proof.tenant, "", "",
                 result_.declared_global_root.value_or("a declared global root"), proof.root,
                 "tenant " + proof.tenant +
                     "'s proof leads to another root than the declared global root"});
    return;
  }
  std::string why;
  const auto digests = proof_digests(proof, result_.algorithm, why);
  if (!digests) {
    add_problem({bundle_check::kTenantProof, "", proof.tenant, "", "",
                 "a proof in " + result_.algorithm, why,
                 "tenant " + proof.tenant + "'s proof is malformed"});
    return;
  }
  // The leaf is the declared tenant root; finish() checks that root against the bundles.
  const DigestBytes leaf = tenant_leaf_hash(*hasher_, proof.tenant, *state->second.declared_root);
  if (!verify_inclusion(*hasher_, proof.leaf_index, proof.tree_size, leaf, digests->first,
                        digests->second)) {
    add_problem({bundle_check::kTenantProof, "", proof.tenant, "", "",
                 "an audit path from the tenant's root to " + proof.root,
                 "a path that leads elsewhere",
                 "tenant " + proof.tenant + "'s inclusion proof does not verify"});
    return;
  }
  state->second.proof_verified = true;
  ++result_.proofs_verified;
}

void ContentVerifier::finish() {
  if (finished_) {
    return;
  }
  finished_ = true;
  close_bundle();
  drain_signature_checks();
  if (!hasher_) {
    set_algorithm(kDefaultAlgorithm);
  }
  // Bundles by tenant, then in Merkle order (seal time, then id).
  std::vector<const VerifiedBundle*> ordered;
  ordered.reserve(bundles_.size());
  for (const VerifiedBundle& bundle : bundles_) {
    ordered.push_back(&bundle);
  }
  std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return std::tie(a->tenant, a->sealed_at_unix_us, a->bundle_id) <
           std::tie(b->tenant, b->sealed_at_unix_us, b->bundle_id);
  });
  std::size_t next = 0;
  MerkleRootBuilder global(*hasher_);
  const TreeHasher& store_hasher = store_hasher_ ? *store_hasher_ : *hasher_;
  bool every_tenant_proven = !tenants_.empty();
  for (auto& [tenant_id, state] : tenants_) {
    MerkleRootBuilder builder(*hasher_);
    MerkleRootBuilder store_builder(store_hasher);
    std::int64_t bundle_count = 0;
    for (; next < ordered.size() && ordered[next]->tenant == tenant_id; ++next) {
      builder.add_leaf_hash(
          bundle_leaf_hash(*hasher_, ordered[next]->bundle_id, ordered[next]->root));
      store_builder.add_leaf_hash(
          bundle_leaf_hash(store_hasher, ordered[next]->bundle_id, ordered[next]->root_in_store()));
      ++bundle_count;
    }
    VerifiedTenant tenant;
    tenant.tenant = tenant_id;
    tenant.display_name = state.display_name;
    tenant.declared_root = state.declared_root;
    tenant.computed_root = format_digest(hasher_->algorithm_id(), builder.root());
    tenant.store_root = format_digest(store_hasher.algorithm_id(), store_builder.root());
    tenant.bundles = bundle_count;
    tenant.artifacts = state.artifacts;
    tenant.proof_verified = state.proof_verified;
    every_tenant_proven = every_tenant_proven && state.proof_verified;
    if (unreadable_) {
      // The source stopped early: its roots cannot match, and saying so would add nothing.
    } else if (state.declared_root && *state.declared_root != tenant.computed_root) {
      add_problem({bundle_check::kTenantRoot, "", tenant_id, "", "", *state.declared_root,
                   tenant.computed_root,
                   "tenant " + tenant_id + "'s bundles do not recompute to the root it declares"});
    }
    if (!unreadable_ && state.declared_bundles >= 0 && state.declared_bundles != bundle_count) {
      add_problem({bundle_check::kTenantCounts, "", tenant_id, "", "",
                   std::to_string(state.declared_bundles) + " bundles",
                   std::to_string(bundle_count) + " bundles",
                   "tenant " + tenant_id + " holds another number of bundles than declared"});
    }
    global.add_leaf_hash(tenant_leaf_hash(*hasher_, tenant_id, tenant.computed_root));
    result_.tenants.push_back(std::move(tenant));
  }
  result_.computed_global_root = format_digest(hasher_->algorithm_id(), global.root());
  result_.stopped_early = unreadable_;
  if (result_.declared_global_root && !unreadable_) {
    const bool complete =
        result_.declared_tenant_count < 0 ||
        result_.declared_tenant_count == static_cast<std::int64_t>(result_.tenants.size());
    if (complete) {
      result_.global_root_recomputed = true;
      if (result_.computed_global_root != *result_.declared_global_root) {
        add_problem({bundle_check::kGlobalRoot, "", "", "", "", *result_.declared_global_root,
                     result_.computed_global_root,
                     "the tenants' roots do not recompute to the declared global root"});
      }
    } else if (!every_tenant_proven) {
      add_problem({bundle_check::kGlobalRoot, "", "", "", "", *result_.declared_global_root,
                   std::to_string(result_.tenants.size()) + " of " +
                       std::to_string(result_.declared_tenant_count) +
                       " tenants, not all with a verified proof",
                   "the source holds only some tenants of the global root, and without a "
                   "verified proof for each the global root cannot be checked"});
    }
  }
  result_.stream_digest = "sha256:" + stream_->stream.finish_hex();
}

}  // namespace stella::host
