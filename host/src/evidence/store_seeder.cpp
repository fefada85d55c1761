// Seeding: bundles of realistic documents, each sealed with a Merkle root and an Ed25519-signed
// DSSE attestation, loaded in batches with binary COPY.
#include "stella/host/evidence/store_seeder.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "evidence/evidence_documents.hpp"
#include "evidence/seed_random.hpp"
#include "stella/host/evidence/dsse_envelope.hpp"
#include "stella/host/evidence/ed25519_key.hpp"
#include "stella/host/evidence/evidence_statement.hpp"
#include "stella/host/evidence/pg_binary_copy.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr const char* kAlgorithm = "sha256";
/// Bundles per COPY round: a few megabytes of artifacts in flight at a time.
constexpr std::size_t kBundlesPerBatch = 512;
constexpr int kMaxArtifactsPerBundle = 10000;
constexpr std::int64_t kMaxBundlesPerTenant = 100000000;
constexpr int kMaxTenants = 10000;
constexpr std::size_t kMinArtifactBytes = 256;
constexpr std::size_t kMaxArtifactBytes = std::size_t{16} << 20;
/// Artifacts vary by up to this fraction of the target size either way.
constexpr double kSizeVariation = 0.25;
constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kMinSealDelaySeconds = 60;
constexpr std::int64_t kMaxSealDelaySeconds = 6 * 3600;
constexpr int kSupersededPercent = 5;
constexpr int kEvaluationPercent = 70;
constexpr int kJobPercent = 20;
constexpr int kLegalHoldPercent = 2;
constexpr int kReleasedHoldPercent = 30;
constexpr std::int64_t kMaxHoldDelaySeconds = 30 * 24 * 3600;
constexpr int kCaseNumberLow = 1000;
constexpr int kCaseNumberHigh = 9999;
constexpr std::string_view kKeyDerivationLabel = "stella evidence seed signing key v1";
constexpr std::size_t kKeyIdHexChars = 16;
constexpr int kUuidVersion = 4;
constexpr int kDigestBytes = 32;

struct SeedTenant {
  const char* id;
  const char* name;
};
constexpr std::array<SeedTenant, 12> kTenants = {{
    {"acme", "Acme Corporation"},
    {"globex", "Globex Corporation"},
    {"initech", "Initech"},
    {"umbrella", "Umbrella Corporation"},
    {"hooli", "Hooli"},
    {"stark", "Stark Industries"},
    {"wayne", "Wayne Enterprises"},
    {"cyberdyne", "Cyberdyne Systems"},
    {"soylent", "Soylent Corporation"},
    {"wonka", "Wonka Industries"},
    {"tyrell", "Tyrell Corporation"},
    {"massive-dynamic", "Massive Dynamic"},
}};
constexpr std::array<const char*, 6> kServices = {"api",     "web",  "worker",
                                                  "billing", "auth", "gateway"};

[[noreturn]] void bad_option(const std::string& what, const std::string& expected) {
  throw sdk::Error(sdk::ErrorCode::invalid_input, what + "; expected " + expected,
                   "see `stella evidence seed --help`");
}

void check_options(const SeedOptions& options) {
  if (options.tenants < 1 || options.tenants > kMaxTenants) {
    bad_option("--tenants is " + std::to_string(options.tenants),
               "1 to " + std::to_string(kMaxTenants));
  }
  if (options.bundles_per_tenant < 0 || options.bundles_per_tenant > kMaxBundlesPerTenant) {
    bad_option("--bundles is " + std::to_string(options.bundles_per_tenant),
               "0 to " + std::to_string(kMaxBundlesPerTenant));
  }
  if (options.artifacts_per_bundle < 1 || options.artifacts_per_bundle > kMaxArtifactsPerBundle) {
    bad_option("--artifacts-per-bundle is " + std::to_string(options.artifacts_per_bundle),
               "1 to " + std::to_string(kMaxArtifactsPerBundle));
  }
  if (options.artifact_bytes < kMinArtifactBytes || options.artifact_bytes > kMaxArtifactBytes) {
    bad_option(
        "--artifact-size is " + std::to_string(options.artifact_bytes),
        std::to_string(kMinArtifactBytes) + " to " + std::to_string(kMaxArtifactBytes) + " bytes");
  }
  if (options.since_unix_us >= options.until_unix_us) {
    bad_option("--since " + iso8601_from_unix_micros(options.since_unix_us) +
                   " is not before the end of the seed period " +
                   iso8601_from_unix_micros(options.until_unix_us),
               "a date in the past");
  }
}

/// The signing key of a seed: its private key is SHA-256 of a label and the seed number, so the
/// same seed always signs with the same key and different seeds with different keys.
struct SeedSigner {
  explicit SeedSigner(std::uint64_t seed) : key(Ed25519Key::from_private_seed(private_seed(seed))) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    const std::string raw = key.raw_public_key();
    EVP_Digest(raw.data(), raw.size(), digest.data(), &length, EVP_sha256(), nullptr);
    key_id = "seed-ed25519-" + to_hex(ByteView(digest.data(), length)).substr(0, kKeyIdHexChars);
  }

  static std::array<std::uint8_t, kEd25519KeyBytes> private_seed(std::uint64_t seed) {
    const std::string material = std::string(kKeyDerivationLabel) + '\0' + std::to_string(seed);
    std::array<std::uint8_t, kEd25519KeyBytes> bytes{};
    unsigned int length = 0;
    EVP_Digest(material.data(), material.size(), bytes.data(), &length, EVP_sha256(), nullptr);
    return bytes;
  }

  Ed25519Key key;
  std::string key_id;
};

std::string uuid_v4(SeedRandom& random) {
  std::string hex = random.hex(16);
  hex[12] = static_cast<char>('0' + kUuidVersion);
  // Variant 10xx: the first hex digit of the fourth group is 8, 9, a or b.
  static constexpr char kVariant[] = "89ab";
  hex[16] = kVariant[random.below(4)];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

const char* bundle_kind(SeedRandom& random) {
  const auto roll = static_cast<int>(random.below(100));
  if (roll < kEvaluationPercent) {
    return "evaluation";
  }
  return roll < kEvaluationPercent + kJobPercent ? "job" : "export";
}

/// What one seeded bundle adds to the store.
struct SeededBundle {
  NewBundle bundle;
  std::optional<NewLegalHold> hold;
  std::int64_t bytes = 0;
};

class BundleFactory {
 public:
  BundleFactory(const SeedOptions& options, const SeedSigner& signer, const TreeHasher& hasher)
      : options_(options), signer_(signer), hasher_(hasher) {}

  /// Bundle number `sequence` of the tenant, the `index`-th of this run's `count` for it.
  SeededBundle make(const std::string& tenant_id, std::int64_t sequence, std::int64_t index,
                    std::int64_t count) const {
    SeedRandom random =
        SeedRandom::for_item(options_.seed, tenant_id, "bundle " + std::to_string(sequence));
    SeededBundle seeded;
    NewBundle& bundle = seeded.bundle;
    bundle.tenant_id = tenant_id;
    bundle.bundle_id = uuid_v4(random);
    bundle.kind = bundle_kind(random);
    bundle.status = random.percent(kSupersededPercent) ? "superseded" : "sealed";
    bundle.subject = "registry." + tenant_id + ".example/" +
                     kServices[random.below(kServices.size())] +
                     "@sha256:" + random.hex(kDigestBytes);
    // Seal times rise with the bundle's place in the run (stratified over the period), as in a
    // store that receives bundles over time; so the Merkle order of a run's bundles does not
    // depend on the clock, only their times do.
    const double span = static_cast<double>(options_.until_unix_us - options_.since_unix_us);
    const double place = (static_cast<double>(index) + random.unit()) / static_cast<double>(count);
    bundle.sealed_at_unix_us = options_.since_unix_us + static_cast<std::int64_t>(span * place);
    bundle.created_at_unix_us =
        std::max(options_.since_unix_us,
                 bundle.sealed_at_unix_us -
                     random.between(kMinSealDelaySeconds, kMaxSealDelaySeconds) * kMicrosPerSecond);

    const DocumentContext context{tenant_id, bundle.bundle_id, bundle.subject, bundle.kind};
    for (int i = 0; i < options_.artifacts_per_bundle; ++i) {
      const double variation = (random.unit() * 2.0 - 1.0) * kSizeVariation;
      const auto target = static_cast<std::size_t>(
          std::lround(static_cast<double>(options_.artifact_bytes) * (1.0 + variation)));
      EvidenceDocument document = generate_evidence_document(i, context, target, random);
      const ByteView bytes(reinterpret_cast<const std::uint8_t*>(document.content.data()),
                           document.content.size());
      NewArtifact artifact;
      artifact.digest = format_digest(kAlgorithm, hasher_.digest(bytes));
      artifact.path = std::move(document.path);
      artifact.media_type = std::move(document.media_type);
      artifact.content = std::move(document.content);
      seeded.bytes += static_cast<std::int64_t>(artifact.content.size());
      bundle.artifacts.push_back(std::move(artifact));
    }
    std::sort(bundle.artifacts.begin(), bundle.artifacts.end(),
              [](const NewArtifact& a, const NewArtifact& b) { return a.path < b.path; });
    seal(bundle);
    if (random.percent(kLegalHoldPercent)) {
      seeded.hold = legal_hold(bundle, random);
    }
    return seeded;
  }

 private:
  /// The bundle root over its artifacts, and the signed attestation naming each of them.
  void seal(NewBundle& bundle) const {
    MerkleRootBuilder tree(hasher_);
    EvidenceStatement statement;
    for (const NewArtifact& artifact : bundle.artifacts) {
      tree.add_leaf_hash(artifact_leaf_hash(hasher_, artifact.path, artifact.digest));
      const ParsedDigest digest = parse_digest(artifact.digest);
      statement.subjects.push_back(
          StatementSubject{artifact.path, digest.algorithm_id, to_hex(digest.bytes)});
    }
    bundle.bundle_root = format_digest(kAlgorithm, tree.root());
    statement.tenant = bundle.tenant_id;
    statement.bundle_id = bundle.bundle_id;
    statement.kind = bundle.kind;
    statement.sealed_at = iso8601_from_unix_micros(bundle.sealed_at_unix_us);
    DsseEnvelope envelope;
    envelope.payload_type = kInTotoPayloadType;
    envelope.payload = evidence_statement_to_json(statement);
    envelope.signatures.push_back(DsseSignature{
        signer_.key_id, signer_.key.sign(dsse_pae(envelope.payload_type, envelope.payload))});
    bundle.attestation = dsse_envelope_to_json(envelope);
  }

  static NewLegalHold legal_hold(const NewBundle& bundle, SeedRandom& random) {
    NewLegalHold hold;
    hold.hold_id = "hold-" + random.hex(8);
    hold.tenant_id = bundle.tenant_id;
    hold.bundle_id = bundle.bundle_id;
    hold.case_reference = "LIT-" + std::to_string(random.between(kCaseNumberLow, kCaseNumberHigh));
    hold.reason = "litigation hold: preserve release evidence";
    hold.placed_by = "legal@" + bundle.tenant_id + ".example";
    hold.placed_at_unix_us =
        bundle.sealed_at_unix_us + random.between(1, kMaxHoldDelaySeconds) * kMicrosPerSecond;
    if (random.percent(kReleasedHoldPercent)) {
      hold.released_at_unix_us =
          hold.placed_at_unix_us + random.between(1, kMaxHoldDelaySeconds) * kMicrosPerSecond;
    }
    return hold;
  }

  const SeedOptions& options_;
  const SeedSigner& signer_;
  const TreeHasher& hasher_;
};

/// One batch of bundles ready to load.
struct SeedBatch {
  std::vector<NewBundle> bundles;
  std::vector<NewLegalHold> holds;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
};

/// Batches handed from the thread that makes bundles to the one that loads them; holds at most
/// kBatchesAhead so memory stays flat.
class BatchQueue {
 public:
  /// False when the consumer gave up (the producer should stop).
  bool push(SeedBatch batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return ready_.size() < kBatchesAhead || cancelled_; });
    if (cancelled_) {
      return false;
    }
    ready_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }
  /// The next batch; nullopt when the producer is done. Rethrows the producer's failure.
  std::optional<SeedBatch> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || closed_; });
    if (ready_.empty()) {
      if (failure_) {
        std::rethrow_exception(failure_);
      }
      return std::nullopt;
    }
    SeedBatch batch = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return batch;
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  void fail(std::exception_ptr failure) {
    std::lock_guard lock(mutex_);
    failure_ = std::move(failure);
    closed_ = true;
    changed_.notify_all();
  }
  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    changed_.notify_all();
  }

 private:
  static constexpr std::size_t kBatchesAhead = 2;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<SeedBatch> ready_;
  bool closed_ = false;
  bool cancelled_ = false;
  std::exception_ptr failure_;
};

}  // namespace

std::string seed_tenant_id(int index) {
  if (index < static_cast<int>(kTenants.size())) {
    return kTenants[static_cast<std::size_t>(index)].id;
  }
  constexpr int kTenantNumberWidth = 4;
  std::string number = std::to_string(index + 1);
  number.insert(
      0,
      static_cast<std::size_t>(std::max(0, kTenantNumberWidth - static_cast<int>(number.size()))),
      '0');
  return "tenant-" + number;
}

SeedSummary seed_store(PgConnection& connection, const StoreLayout& layout,
                       const SeedOptions& options, const SeedProgress& progress) {
  check_options(options);
  const auto hasher = make_evp_hasher(kAlgorithm);
  const SeedSigner signer(options.seed);
  layout.ensure_signing_key(connection,
                            SigningKeyRecord{signer.key_id, "ed25519", signer.key.public_pem()});
  const BundleFactory factory(options, signer, *hasher);

  std::vector<std::pair<std::string, std::int64_t>> tenants;  // id, first new sequence number
  for (int t = 0; t < options.tenants; ++t) {
    const std::string tenant_id = seed_tenant_id(t);
    const std::string display_name = t < static_cast<int>(kTenants.size())
                                         ? kTenants[static_cast<std::size_t>(t)].name
                                         : "Tenant " + std::to_string(t + 1);
    layout.ensure_tenant(connection, tenant_id, display_name);
    tenants.emplace_back(tenant_id, layout.bundle_count(connection, tenant_id));
  }

  // Bundles are made (documents, digests, roots, signatures) on a thread of their own while this
  // one loads the previous batch: the server's work and ours overlap.
  SeedSummary summary;
  summary.key_id = signer.key_id;
  BatchQueue queue;
  std::thread producer([&] {
    try {
      SeedBatch batch;
      for (const auto& [tenant_id, first_sequence] : tenants) {
        for (std::int64_t i = 0; i < options.bundles_per_tenant; ++i) {
          SeededBundle seeded =
              factory.make(tenant_id, first_sequence + i, i, options.bundles_per_tenant);
          batch.artifacts += static_cast<std::int64_t>(seeded.bundle.artifacts.size());
          batch.bytes += seeded.bytes;
          if (seeded.hold) {
            batch.holds.push_back(std::move(*seeded.hold));
          }
          batch.bundles.push_back(std::move(seeded.bundle));
          if (batch.bundles.size() >= kBundlesPerBatch &&
              !queue.push(std::exchange(batch, SeedBatch{}))) {
            return;
          }
        }
      }
      if (!batch.bundles.empty()) {
        queue.push(std::move(batch));
      }
      queue.close();
    } catch (...) {
      queue.fail(std::current_exception());
    }
  });
  try {
    while (auto batch = queue.pop()) {
      layout.load_bundles(connection, batch->bundles);
      layout.load_legal_holds(connection, batch->holds);
      summary.bundles += static_cast<std::int64_t>(batch->bundles.size());
      summary.artifacts += batch->artifacts;
      summary.bytes += batch->bytes;
      summary.legal_holds += static_cast<std::int64_t>(batch->holds.size());
      if (progress) {
        progress(summary.bundles);
      }
    }
  } catch (...) {
    queue.cancel();
    producer.join();
    throw;
  }
  producer.join();
  summary.tenants = static_cast<std::int64_t>(tenants.size());
  summary.roots = recompute_stored_roots(connection, layout, *hasher);
  return summary;
}

}  // namespace stella::host
