// `stella evidence reconcile --source attestor [--dry-run | --apply]`: the store against a
// source system's records (docs/reconcile.md).
//
// A source is read by a storage importer plugin, the same way `stella evidence import` reads a
// bundle: the `attestor` source is the importer of format "attestor-ndjson", which parses the
// attestor's documented NDJSON export. When the records are in a database (the attestor's own
// schema "attestor" in the store's database, or --source-database), the host exports them to
// that NDJSON first, so that exactly one parser — the plugin's — reads attestor records.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/bundles/content_verifier.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/sdk/storage_importer.hpp"

namespace stella::host {

/// The importer source format of the attestor's NDJSON export.
inline constexpr const char* kAttestorSourceFormat = "attestor-ndjson";
/// The --source names reconcile knows, and the importer format each is read with.
struct ReconcileSource {
  const char* name;
  const char* source_format;
};
inline constexpr ReconcileSource kReconcileSources[] = {{"attestor", kAttestorSourceFormat}};

struct ReconcileOptions {
  /// --source ("attestor").
  std::string source;
  /// --source-database: the attestor's database; nullopt: the store's own database.
  std::optional<std::string> source_database;
  /// --source-file: the attestor's NDJSON export (then no database is read for the source).
  std::optional<std::string> source_file;
  /// --apply: import the missing bundles through the normal import path.
  bool apply = false;
  sdk::ImportLimits limits;
  std::string operator_name;
  /// Short lines for the operator; may be empty.
  std::function<void(const std::string& line)> note;
};

/// One field that differs between the source and the store.
struct ReconcileDifference {
  /// "tenant", "bundle_root", "artifact_digest", "artifact_missing_in_store",
  /// "artifact_missing_in_source", "algorithm".
  std::string field;
  /// The artifact path, for artifact differences.
  std::string artifact;
  std::string source_value;
  std::string store_value;
};

/// A bundle that is not the same on both sides.
struct ReconcileBundle {
  std::string tenant;
  std::string bundle;
  /// The root each side records (empty when that side has none).
  std::string source_root;
  std::string store_root;
  std::vector<ReconcileDifference> differences;
};

struct ReconcileReport {
  std::string source;
  /// The command that imports the missing bundles from the same source, as the operator gave it
  /// (--source-database or --source-file included); empty: the text names only --source.
  std::string apply_command;
  /// Where the records came from: "database <name>, schema attestor" or the file.
  std::string source_location;
  std::string source_format;
  std::string plugin_id;
  std::string database;
  std::string schema_version;
  /// "dry-run" or "apply".
  std::string mode;
  std::int64_t source_bundles = 0;
  std::int64_t store_bundles = 0;
  std::int64_t matched = 0;
  /// In the source, not in the store.
  std::vector<ReconcileBundle> missing;
  /// In the store, not in the source.
  std::vector<ReconcileBundle> extra;
  /// In both, different.
  std::vector<ReconcileBundle> mismatched;
  /// The source's own records that do not verify (a digest that is not the hash of its bytes, a
  /// root that is not the root of its digests): such a bundle is never imported.
  std::vector<BundleProblem> source_problems;
  /// --apply: bundles imported, and the import's audit event.
  std::int64_t imported = 0;
  std::int64_t import_audit_event_id = 0;
  std::string global_root_before;
  std::string global_root_after;

  bool in_sync() const { return missing.empty() && extra.empty() && mismatched.empty(); }
};

/// Reads the source through its importer plugin, compares it with the store at `conninfo`, and
/// with options.apply imports the missing bundles (import_evidence: verified, all-or-nothing,
/// audited). Throws sdk::Error(invalid_input) for an unknown source, a malformed source or
/// conflicting options; sdk::Error(refused) when there is no store, no attestor schema, or no
/// importer plugin for the source's format.
ReconcileReport reconcile_with_source(const std::string& conninfo, PluginRegistry& registry,
                                      const ReconcileOptions& options, sdk::HostContext& ctx);

/// Reports as JSON (schemas/reconcile-report.schema.json) and text.
std::string reconcile_report_to_json(const ReconcileReport& report);
std::string reconcile_report_to_text(const ReconcileReport& report);

}  // namespace stella::host
