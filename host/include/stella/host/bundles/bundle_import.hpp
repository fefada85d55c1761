// `stella evidence import`: evidence from sources read by storage importer plugins (an export
// directory, a portable archive, an object store), verified completely before anything is
// written, then committed all-or-nothing in one transaction with its audit event.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/sdk/storage_importer.hpp"

namespace stella::host {

struct ImportOptions {
  /// Sources, in the order given (a shell glob gives several).
  std::vector<std::string> locations;
  /// The importer to use for every source (--source-format, --portable); nullopt: the one that
  /// recognizes each source.
  std::optional<std::string> source_format;
  /// The schema version of a store the import creates in a database that holds none; nullopt:
  /// the version the source was exported from (or `init`'s default for a source that does not
  /// say).
  std::optional<std::string> schema_version;
  sdk::ImportLimits limits;
  /// --expect-root: the global root every source's evidence must commit to
  /// (expected_global_root.hpp); nullopt: the sources' own roots are trusted.
  std::optional<std::string> expected_global_root;
  /// Recorded in the audit event.
  std::string operator_name;
  /// Short lines for the operator ("verifying ...", "loading ..."); may be empty.
  std::function<void(const std::string& line)> note;
};

struct ImportedSourceSummary {
  std::string location;
  std::string source_format;
  std::string plugin_id;
  /// "sha256:<hex>" of the source's manifest; empty when it has none.
  std::string manifest_digest;
  /// The global root the source declares; empty when it declares none.
  std::string declared_global_root;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
};

struct ImportSummary {
  std::vector<ImportedSourceSummary> sources;
  /// The database held no store and the import created one (at schema_version).
  bool store_created = false;
  std::string schema_version;
  std::string algorithm;
  /// Bundles written, and bundles the store already held with identical content.
  std::int64_t bundles_imported = 0;
  std::int64_t bundles_already_present = 0;
  std::int64_t artifacts_imported = 0;
  std::int64_t attestations_imported = 0;
  std::int64_t tenants_created = 0;
  std::int64_t signing_keys_added = 0;
  /// The store's global root before and after (equal when nothing was imported).
  std::string global_root_before;
  std::string global_root_after;
  /// The store's roots of the tenants the sources hold, after the import.
  std::vector<StoredTenantRoot> tenant_roots;
  /// Every tenant root (and, when the store held nothing before, the global root) a source
  /// declared equals the store's root after the import. False only when the store already held
  /// other evidence of those tenants (the roots then cover more than the source).
  bool roots_equal_declared = false;
  /// When the source's algorithm differs from the one new evidence is loaded with (an export of
  /// a reindexed store) and the store held nothing before: the algorithm the new store was then
  /// reindexed to, so that its roots are the source's. Empty otherwise.
  std::string reindexed_to;
  /// The audit event recording the import (also recorded when nothing was new).
  std::int64_t audit_event_id = 0;

  bool nothing_to_import() const {
    return bundles_imported == 0 && tenants_created == 0 && signing_keys_added == 0;
  }
};

/// Imports every source in `options.locations` into the store at `conninfo`:
///  1. reads each source through its importer and verifies it (every digest, root and proof);
///  2. compares it with the store: a bundle the store holds with identical content is skipped,
///     one it holds with different content is a conflict;
///  3. creates the store when the database holds none (as `stella evidence init` would, its own
///     transaction and audit event);
///  4. in one transaction: reads each source again and loads what is new (checking it reads
///     exactly as verified; digests in the layout's load_algorithm()), recomputes the roots,
///     checks them against the source's, and appends an "import" audit event — then commits;
///  5. when the source's algorithm is not the load algorithm and the store held nothing before,
///     reindexes the store to the source's algorithm (its own resumable run).
/// Throws sdk::Error(invalid_input) for an unsafe or malformed source or bad options (exit 2),
/// sdk::Error(verification_failed) when a source does not verify (exit 1), sdk::Error(refused)
/// for a conflict with the store, a store whose active generation is not its load generation, or
/// an algorithm a new store at the chosen schema cannot hold (exit 3). Nothing is written in any
/// of these cases.
ImportSummary import_evidence(const std::string& conninfo, PluginRegistry& registry,
                              const ImportOptions& options, sdk::HostContext& ctx);

}  // namespace stella::host
