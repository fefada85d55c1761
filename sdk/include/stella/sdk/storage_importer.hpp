// Plugin kind: reads evidence from a source (a bundle directory, a portable archive, an object
// store, a source system's export) and streams it into the host.
//
// The importer reads and checks the *form* of its source (safe paths, no links or device files,
// sizes within ImportLimits, well-formed JSON, file checksums); the host checks the *content*
// (every artifact digest, bundle root, tenant root, global root and inclusion proof) from what the
// importer sends to the ImportSink, and writes nothing until all of it verified. The same read()
// serves `stella evidence verify-bundle` (a sink that only verifies) and `stella evidence import`
// (which reads the source twice: once to verify, once to load inside one transaction).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stella/sdk/abi.hpp"
#include "stella/sdk/context.hpp"
#include "stella/sdk/plugin.hpp"
#include "stella/sdk/reindexer.hpp"

STELLA_SDK_NAMESPACE_BEGIN

/// A tenant the source holds (sent before its bundles; a tenant without bundles is sent too, so
/// that the tenant — and its empty-tree root — is imported as well).
struct ImportedTenant {
  std::string tenant;
  /// The tenant's display name; empty when the source has none (the host then uses the id).
  std::string display_name;
};

/// A public key that signed the source's attestations.
struct ImportedSigningKey {
  /// The DSSE "keyid" signatures name.
  std::string key_id;
  /// "ed25519".
  std::string algorithm;
  /// "-----BEGIN PUBLIC KEY-----" PEM text.
  std::string public_key_pem;
};

/// A sealed bundle as the source describes it.
struct ImportedBundle {
  std::string tenant;
  std::string bundle_id;
  /// "evaluation", "job" or "export".
  std::string kind;
  /// "sealed" or "superseded" (both are sealed evidence).
  std::string status;
  /// What the evidence is about (an image reference, a repository, a release).
  std::string subject;
  /// RFC 3339 UTC timestamps ("2026-01-31T12:00:00.123456Z").
  std::string created_at;
  std::string sealed_at;
  /// The bundle root the source declares ("sha256:<hex>"); empty when the source has none.
  std::string declared_root;
};

/// One artifact of a bundle. `bytes` is valid only during the ImportSink::artifact call.
struct ImportedArtifact {
  std::string tenant;
  std::string bundle_id;
  /// Canonical path inside the bundle ("sbom/cyclonedx.json").
  std::string path;
  std::string media_type;
  /// The digest the source declares ("sha256:<hex>"); the host recomputes and compares it.
  std::string declared_digest;
  ByteView bytes;
};

/// One DSSE attestation of a bundle, as its JSON envelope.
struct ImportedAttestation {
  std::string tenant;
  std::string bundle_id;
  std::string envelope_json;
};

/// A root the source declares for a tenant (tenant non-empty) or for the whole source (empty).
struct DeclaredRoot {
  std::string tenant;
  std::string root;
  /// Leaves the root was computed over: a tenant's bundles, or for the source's global root the
  /// number of tenants of the store it came from (more than the source holds when the source is a
  /// partial export). -1 when the source does not say.
  std::int64_t leaf_count = -1;
};

/// An RFC 9162 inclusion proof the source carries: a bundle's root in its tenant root
/// (bundle_id non-empty), or a tenant's root in the global root (bundle_id empty). The host
/// rebuilds the leaf from the bundle or tenant it received and checks the path leads to `root`.
struct ImportedProof {
  std::string tenant;
  std::string bundle_id;
  std::uint64_t leaf_index = 0;
  std::uint64_t tree_size = 0;
  /// The audit path, leaf to root, as digest strings ("sha256:<hex>").
  std::vector<std::string> path;
  /// The root the proof leads to, as a digest string.
  std::string root;
};

/// A problem with the source's integrity that the importer found and reads on past, so that a
/// verification report can name every problem rather than the first (a file whose checksum does
/// not match, a file missing from the source or not listed in its checksum list). Unsafe or
/// malformed input is not a SourceProblem: read() throws for it.
struct SourceProblem {
  /// A short stable name of the check ("checksum", "missing_file", "extra_file", ...).
  std::string check;
  /// The file, relative to the source's top, the problem is about; empty for the whole source.
  std::string file;
  std::string expected;
  std::string found;
  /// One sentence a person can act on.
  std::string message;
};

/// Bounds on what an importer reads from an untrusted source. The host chooses them (operators
/// may raise them on the command line); an importer refuses, with Error(invalid_input) naming the
/// limit and the option that raises it, any source that exceeds one.
struct ImportLimits {
  /// Total bytes of file contents, after decompression.
  std::uint64_t max_total_bytes = 0;
  /// Number of files (archive entries, directory entries) in the source.
  std::uint64_t max_entries = 0;
  /// Bytes of any one JSON document (manifests, proofs): a "huge manifest" is refused unread.
  std::uint64_t max_json_bytes = 0;
  /// Bytes of any one artifact.
  std::uint64_t max_artifact_bytes = 0;
  /// For compressed sources: decompressed bytes per compressed byte, checked once more than
  /// `ratio_floor_bytes` were decompressed (a decompression bomb is refused early).
  std::uint64_t max_compression_ratio = 0;
  std::uint64_t ratio_floor_bytes = 0;
};

/// Where an importer sends what it reads. Implemented by the host.
///
/// Order: source_manifest (when the source has one), then tenants, signing keys and declared roots;
/// then each bundle followed by its artifacts and attestation, before the next bundle; a proof
/// after the bundle (or the tenant's declared root) it is about. The host checks each artifact's
/// digest and each bundle's root as they arrive, tenant and global roots at the end.
///
/// Ownership: owned by the host, valid during StorageImporter::read only.
/// Thread-safety: call from the thread that called read() only.
/// Failure: throws stella::sdk::Error(invalid_input) when a record breaks the order above (an
/// artifact of no open bundle) or is malformed (a digest string that is not "alg:<hex>"); the
/// importer lets it propagate. Content that does not verify is recorded by the host, not thrown.
class ImportSink {
 public:
  virtual ~ImportSink() = default;
  /// The source's own manifest, verbatim, when it has one (its digest is recorded in the audit
  /// trail).
  virtual void source_manifest(const std::string& manifest_json) = 0;
  virtual void tenant(const ImportedTenant& tenant) = 0;
  virtual void signing_key(const ImportedSigningKey& key) = 0;
  /// A bundle; precedes its artifacts and attestation.
  virtual void bundle(const ImportedBundle& bundle) = 0;
  virtual void artifact(const ImportedArtifact& artifact) = 0;
  virtual void attestation(const ImportedAttestation& attestation) = 0;
  virtual void declared_root(const DeclaredRoot& root) = 0;
  virtual void proof(const ImportedProof& proof) = 0;
  virtual void problem(const SourceProblem& problem) = 0;
};

/// A storage importer reads one source format.
///
/// Ownership: created by the plugin's factory, owned by the host. Thread-safety: recognizes() may
/// be called from any thread; read() from one thread at a time.
/// Failure: read() throws stella::sdk::Error(invalid_input) on any malformed or unsafe input
/// (path traversal, absolute paths, symbolic or hard links, device files, a limit exceeded,
/// truncated data, invalid JSON or JSON that breaks the format's schema, an unknown format
/// version), naming the file and what was wrong; it never writes anywhere but into the sink (it may
/// use private temporary files, removed before it returns). Integrity problems it can read past go
/// to ImportSink::problem instead.
class StorageImporter : public Plugin {
 public:
  /// The source format id this importer reads ("bundle-dir", "portable-tar-gz", "object-store").
  virtual std::string source_format() const = 0;
  /// True when `location` looks like this importer's format. Cheap, reads at most a few headers,
  /// never throws for a location that merely is of another format.
  virtual bool recognizes(const std::string& location) const = 0;
  /// Reads the whole source at `location` and streams it into `sink`, within `limits`. Reading the
  /// same unchanged source twice sends the same calls in the same order.
  virtual void read(const std::string& location, const ImportLimits& limits, ImportSink& sink,
                    HostContext& ctx) = 0;
};

STELLA_SDK_NAMESPACE_END
