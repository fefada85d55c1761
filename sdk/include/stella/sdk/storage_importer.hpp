// Plugin kind: reads evidence from a source (a bundle directory, a portable archive, an object
// store, a source system's export) and streams it into the host.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stella/sdk/abi.hpp"
#include "stella/sdk/context.hpp"
#include "stella/sdk/plugin.hpp"
#include "stella/sdk/reindexer.hpp"

STELLA_SDK_NAMESPACE_BEGIN

/// A sealed bundle as the source describes it.
struct ImportedBundle {
  std::string tenant;
  std::string bundle_id;
  /// "evaluation", "job" or "export".
  std::string kind;
  /// "sealed" for evidence that may be imported.
  std::string status;
  /// RFC 3339 UTC timestamps.
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
};

/// Where an importer sends what it reads. Implemented by the host, which verifies everything
/// before it writes anything and commits all-or-nothing.
///
/// Ownership: owned by the host, valid during StorageImporter::read only.
/// Thread-safety: call from the thread that called read() only.
/// Failure: throws stella::sdk::Error(invalid_input) when a record contradicts what came before
/// (a duplicate path, an artifact of an unknown bundle); the importer lets it propagate.
class ImportSink {
 public:
  virtual ~ImportSink() = default;
  /// The source's own manifest, verbatim, when it has one (recorded in the audit trail).
  virtual void source_manifest(const std::string& manifest_json) = 0;
  /// A bundle; precedes its artifacts and attestations.
  virtual void bundle(const ImportedBundle& bundle) = 0;
  virtual void artifact(const ImportedArtifact& artifact) = 0;
  virtual void attestation(const ImportedAttestation& attestation) = 0;
  virtual void declared_root(const DeclaredRoot& root) = 0;
};

/// A storage importer reads one source format.
///
/// Ownership: created by the plugin's factory, owned by the host. Thread-safety: recognizes() may
/// be called from any thread; read() from one thread at a time.
/// Failure: read() throws stella::sdk::Error(invalid_input) on any malformed or unsafe input
/// (path traversal, links, device files, oversized or truncated data, invalid JSON), naming the
/// file and what was wrong; it must never write outside what the sink receives.
class StorageImporter : public Plugin {
 public:
  /// The source format id this importer reads ("bundle-dir", "portable-tar-gz", "object-store").
  virtual std::string source_format() const = 0;
  /// True when `location` looks like this importer's format. Cheap, reads at most a few headers,
  /// never throws for a location that merely is of another format.
  virtual bool recognizes(const std::string& location) const = 0;
  /// Reads the whole source at `location` and streams it into `sink`.
  virtual void read(const std::string& location, ImportSink& sink, HostContext& ctx) = 0;
};

STELLA_SDK_NAMESPACE_END
