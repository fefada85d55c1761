// The one place that knows how a schema version lays evidence out in PostgreSQL.
//
// Every verb that reads or writes evidence (stats, roots-export, verify-all, seed) goes through a
// StoreLayout, so the SQL of each schema version lives in exactly one implementation file
// (host/src/evidence/store_layout_1_0.cpp, ...) and a new version adds a file beside it instead of
// touching the verbs. Digest and root strings are "alg:<lower-hex>" (docs/merkle.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// A generation of digests and roots: one hash algorithm over the whole store. Schema 1.0 has
/// exactly one (generation 1, sha256).
struct DigestGeneration {
  int generation = 0;
  std::string algorithm;
  /// The generation roots-export and verify-all use by default.
  bool active = false;
};

/// The stored global root (the root over every tenant root).
struct StoredGlobalRoot {
  std::string root;
  std::string algorithm;
  std::int64_t tenant_count = 0;
  std::int64_t bundle_count = 0;
  std::int64_t artifact_count = 0;
  /// ISO 8601 UTC ("2026-01-31T12:00:00.000000Z").
  std::string computed_at;
};

/// A tenant's stored root with the counts it was computed over.
struct StoredTenantRoot {
  std::string tenant_id;
  std::string root;
  std::int64_t bundle_count = 0;
  std::int64_t artifact_count = 0;
  std::string computed_at;
};

/// Every stored root of one generation; tenants in Merkle order (tenant id, bytewise).
struct StoredRoots {
  int generation = 0;
  std::string algorithm;
  std::optional<StoredGlobalRoot> global;
  std::vector<StoredTenantRoot> tenants;
};

/// Whole-store counts for `stats`.
struct StoreTotals {
  std::int64_t tenants = 0;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  /// Sum of artifact content sizes.
  std::int64_t bytes = 0;
  std::int64_t attestations = 0;
  std::int64_t legal_holds_active = 0;
  std::int64_t legal_holds_released = 0;
};

/// Per-tenant counts for `stats --detailed`.
struct TenantTotals {
  std::string tenant_id;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
  std::int64_t attestations = 0;
  std::int64_t legal_holds_active = 0;
  /// ISO 8601 UTC; nullopt for a tenant without bundles.
  std::optional<std::string> oldest_created_at;
  std::optional<std::string> newest_created_at;
};

/// Counts per (tenant, bundle kind) for `stats --by-type`.
struct KindTotals {
  std::string tenant_id;
  std::string kind;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
};

/// Counts per (tenant, artifact media type) for `stats --by-type`.
struct MediaTypeTotals {
  std::string tenant_id;
  std::string media_type;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
};

/// A public key that signed attestations.
struct SigningKeyRecord {
  std::string key_id;
  /// "ed25519".
  std::string algorithm;
  std::string public_key_pem;
};

/// A tenant as the Merkle walk meets it, with what the store recorded for it.
struct TenantEntry {
  std::string tenant_id;
  /// The tenant's display name (filled by stream_evidence; export carries it along).
  std::string display_name;
  /// nullopt when the store holds no root for this tenant.
  std::optional<StoredTenantRoot> stored_root;
};

/// A bundle as the Merkle walk meets it.
struct BundleEntry {
  std::string tenant_id;
  std::string bundle_id;
  std::string kind;
  std::string status;
  /// ISO 8601 UTC.
  std::string created_at;
  std::string sealed_at;
  std::string stored_root;
  /// Number of artifacts; filled by stream_bundle_roots (stream_evidence delivers the artifacts
  /// themselves and leaves it -1).
  std::int64_t artifact_count = -1;
  /// The DSSE envelope as JSON text; nullopt when the bundle has none. Only filled by
  /// stream_evidence (stream_bundle_roots leaves it empty).
  std::optional<std::string> attestation;
  /// What the evidence is about. Filled by stream_evidence and find_bundles (export and import
  /// carry it along); stream_bundle_roots leaves it empty.
  std::string subject;
};

/// A stored artifact without its bytes.
struct StoredArtifactRef {
  std::string path;
  std::string media_type;
  /// The active generation's digest.
  std::string digest;
};

/// A stored bundle as an import compares it with a bundle it reads: every field (subject and
/// attestation included) and its artifacts in path order.
struct StoredBundle {
  BundleEntry bundle;
  std::vector<StoredArtifactRef> artifacts;
};

/// An artifact as the Merkle walk meets it. The views are valid only during the callback.
struct ArtifactEntry {
  std::string_view path;
  std::string_view media_type;
  std::string_view stored_digest;
  std::int64_t recorded_size = 0;
  ByteView content;
};

/// What a consistent read of the whole store holds besides the walk itself.
struct EvidenceSnapshot {
  std::optional<StoredGlobalRoot> global_root;
  std::vector<SigningKeyRecord> signing_keys;
  /// Every tenant with its stored root, in Merkle order: the tenants begin_tenant will meet
  /// (export writes its manifest and tenant proofs from them before the first bundle).
  std::vector<TenantEntry> tenants;
};

/// Receives the store in Merkle order: for each tenant (tenant id order) begin_tenant, then for
/// each of its bundles ((sealed_at, bundle id) order) begin_bundle, its artifacts (path order),
/// end_bundle; then end_tenant. Every tenant is visited, including tenants without bundles.
class EvidenceVisitor {
 public:
  virtual ~EvidenceVisitor() = default;
  /// Called once before anything else by stream_evidence, with what the same snapshot holds.
  virtual void begin_walk(const EvidenceSnapshot& /*snapshot*/) {}
  virtual void begin_tenant(const TenantEntry& /*tenant*/) {}
  virtual void begin_bundle(const BundleEntry& /*bundle*/) {}
  virtual void artifact(const ArtifactEntry& /*artifact*/) {}
  virtual void end_bundle() {}
  virtual void end_tenant() {}
};

/// A new bundle to load (seed, import). Times are microseconds since the Unix epoch, UTC.
struct NewArtifact {
  std::string path;
  std::string media_type;
  std::string digest;
  std::string content;
};
struct NewBundle {
  std::string tenant_id;
  std::string bundle_id;
  std::string kind;
  std::string status;
  std::string subject;
  std::int64_t created_at_unix_us = 0;
  std::int64_t sealed_at_unix_us = 0;
  std::string bundle_root;
  /// DSSE envelope JSON; empty for none.
  std::string attestation;
  std::vector<NewArtifact> artifacts;
};
struct NewLegalHold {
  std::string hold_id;
  std::string tenant_id;
  /// Empty: the hold covers the whole tenant.
  std::string bundle_id;
  std::string case_reference;
  std::string reason;
  std::string placed_by;
  std::int64_t placed_at_unix_us = 0;
  std::optional<std::int64_t> released_at_unix_us;
};

/// Tenant roots and the global root to store, as computed by recompute_stored_roots.
struct ComputedRoots {
  std::string algorithm;
  std::string global_root;
  std::vector<StoredTenantRoot> tenants;
  std::int64_t bundle_count = 0;
  std::int64_t artifact_count = 0;
};

/// The SQL of one schema version.
///
/// Ownership: stateless; any number may exist. Thread-safety: const methods are safe to call from
/// several threads on different connections. Failure: throws sdk::Error from PgConnection (server
/// errors) and sdk::Error(internal) when a row breaks the layout's own rules.
class StoreLayout {
 public:
  virtual ~StoreLayout() = default;

  /// The schema version this layout implements ("1.0").
  virtual std::string schema_version() const = 0;
  /// Every digest generation the store holds.
  virtual std::vector<DigestGeneration> generations(PgConnection& connection) const = 0;
  /// The generation the reading methods (stored_roots, stream_bundle_roots, stream_evidence)
  /// read: the active one, unless this layout came from reading_generation.
  virtual DigestGeneration read_generation(PgConnection& connection) const = 0;
  /// A layout over the same store whose reading methods read `generation` instead of the active
  /// one (roots-export --generation, verify-all --generation after a reindex); its writing methods
  /// are unchanged. Throws sdk::Error(invalid_input) listing the store's generations when it has
  /// no such generation.
  virtual std::unique_ptr<StoreLayout> reading_generation(PgConnection& connection,
                                                          int generation) const = 0;

  // Reading, for stats and roots-export (run them in one transaction for a consistent view).
  virtual StoreTotals totals(PgConnection& connection) const = 0;
  virtual std::vector<TenantTotals> tenant_totals(PgConnection& connection) const = 0;
  virtual std::vector<KindTotals> kind_totals(PgConnection& connection) const = 0;
  virtual std::vector<MediaTypeTotals> media_type_totals(PgConnection& connection) const = 0;
  /// The active generation's stored roots.
  virtual StoredRoots stored_roots(PgConnection& connection) const = 0;

  /// Walks tenants and bundles (no artifacts, no attestations) inside the caller's transaction,
  /// so that it sees the caller's own uncommitted rows.
  virtual void stream_bundle_roots(PgConnection& connection, EvidenceVisitor& visitor) const = 0;
  /// Walks everything, artifact bytes included, on connections of its own (to `conninfo`) that
  /// share one read-only snapshot; memory stays flat however large the store. Calls
  /// visitor.begin_walk first with the snapshot's stored global root, signing keys and tenants.
  virtual void stream_evidence(const std::string& conninfo, EvidenceVisitor& visitor) const = 0;

  // Reading, for import (which compares what it reads with what the store holds).
  /// The bundles among `bundle_ids` the store holds (absent ids are simply missing from the
  /// result), in bundle id order, inside the caller's transaction. Import asks in batches of about
  /// a thousand ids.
  virtual std::vector<StoredBundle> find_bundles(PgConnection& connection,
                                                 std::span<const std::string> bundle_ids) const = 0;
  /// Every stored signing key, in key id order.
  virtual std::vector<SigningKeyRecord> signing_keys(PgConnection& connection) const = 0;

  // Writing, inside the caller's transaction.
  /// The algorithm of the digests and bundle roots load_bundles stores (NewArtifact::digest,
  /// NewBundle::bundle_root): the generation new evidence is loaded into. Import hashes with it
  /// when its source was exported from a store of another active algorithm.
  virtual std::string load_algorithm() const = 0;
  /// Number of bundles a tenant has (new bundle ids continue from it).
  virtual std::int64_t bundle_count(PgConnection& connection, std::string_view tenant_id) const = 0;
  /// Creates the tenant when missing.
  virtual void ensure_tenant(PgConnection& connection, std::string_view tenant_id,
                             std::string_view display_name) const = 0;
  /// Stores the key when no key of that id exists.
  virtual void ensure_signing_key(PgConnection& connection, const SigningKeyRecord& key) const = 0;
  /// Bulk-loads bundles and their artifacts (binary COPY). Their tenants must exist.
  virtual void load_bundles(PgConnection& connection, std::span<const NewBundle> bundles) const = 0;
  virtual void load_legal_holds(PgConnection& connection,
                                std::span<const NewLegalHold> holds) const = 0;
  /// Replaces the stored tenant roots and global root.
  virtual void write_roots(PgConnection& connection, const ComputedRoots& roots) const = 0;
};

/// The layout of a schema version, or nullptr when this build knows no such version.
std::unique_ptr<StoreLayout> make_store_layout(std::string_view schema_version);

/// Schema versions this build has a layout for, in ascending order.
std::vector<std::string> known_layout_versions();

/// The layout of the store `connection` points at, for the verbs that use the store. Throws
/// sdk::Error(refused) while a schema migration run is unfinished (naming it and what to do:
/// migration_read_guard.hpp), when the database holds no evidence store ("no evidence store in
/// database X; run `stella evidence init`") or one of a version this build does not know.
std::unique_ptr<StoreLayout> open_store_layout(PgConnection& connection);

/// open_store_layout without the unfinished-run check, for the migration itself: it reads the
/// store's roots while its own run is unfinished (before recording it, at the end of each run and
/// rollback, on resume).
std::unique_ptr<StoreLayout> open_store_layout_during_migration(PgConnection& connection);

}  // namespace stella::host
