// `stella evidence export`: the store (or some tenants of it) as an evidence bundle — a directory
// or one deterministic .tar.gz (docs/bundle-format.md) — that proves itself offline.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "stella/host/evidence/store_layout.hpp"

namespace stella::host {

struct ExportOptions {
  /// Every tenant (--all); otherwise `tenants` (--tenant, repeatable).
  bool all_tenants = false;
  std::vector<std::string> tenants;
  /// Bundles' DSSE attestations and the public keys that verify them (on unless
  /// --exclude-attestations).
  bool include_attestations = true;
  /// An inclusion proof of every bundle in its tenant root and of every tenant root in the global
  /// root.
  bool include_proofs = false;
  /// The JSON Schemas and the SQL of the store's schema version.
  bool include_schemas = false;
  /// One .tar.gz instead of a directory.
  bool portable = false;
  /// Replace a non-empty --output.
  bool force = false;
  std::string output;
  /// Recorded in the audit event.
  std::string operator_name;
  /// Called now and then with bundles written so far and the total.
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

struct ExportSummary {
  /// The final, absolute path of the export.
  std::string output;
  /// "directory" or "portable".
  std::string layout;
  std::string schema_version;
  std::string algorithm;
  std::string created_at;
  std::string global_root;
  /// "sha256:<hex>" of manifest.json.
  std::string manifest_digest;
  /// "sha256:<hex>" of the .tar.gz (what `sha256sum` prints); empty for a directory.
  std::string archive_digest;
  /// "all" or "tenants".
  std::string scope;
  bool include_attestations = false;
  bool include_proofs = false;
  bool include_schemas = false;
  /// The exported tenants, with their roots and counts.
  std::vector<StoredTenantRoot> tenants;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t artifact_bytes = 0;
  std::int64_t attestations = 0;
  std::int64_t proofs = 0;
  std::uint64_t files = 0;
  /// The audit event recording the export.
  std::int64_t audit_event_id = 0;
};

/// Exports from the store at `conninfo` in one consistent snapshot. Before a file is written it
/// checks what it exports: every artifact's bytes against its stored digest, every bundle root,
/// the exported tenants' roots and the global root; a store that does not verify is not exported
/// (sdk::Error(verification_failed), nothing written). Writes to a staging sibling of --output and
/// renames it into place only after the export and its audit event ("export", committed in a
/// short transaction of its own) succeeded.
/// Throws sdk::Error(invalid_input) for bad options (unknown tenant, non-empty --output),
/// sdk::Error(refused) when there is no store, sdk::Error(internal) on I/O errors.
ExportSummary export_evidence(const std::string& conninfo, const ExportOptions& options);

}  // namespace stella::host
