// Importing one source into a database that holds no store, in a single read: the store is created
// inside the import's transaction as soon as the source names its schema version (its manifest
// comes first), and each bundle is loaded while it is verified. Nothing is committed unless the
// whole source verifies: the caller checks the verification's result and rolls back otherwise,
// and a database left without a store is what the caller found. Against a first read that only
// verifies and a second that loads, this reads and parses a source once, and keeps PostgreSQL
// loading while the source is read (docs/benchmarks.md).
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "bundles/deferred_key_builds.hpp"
#include "stella/host/bundles/source_verification.hpp"
#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/sdk/storage_importer.hpp"

namespace stella::host {

struct NewStoreLoad {
  /// The verification of the read (its bundle list stays empty: nothing compares them).
  VerifiedSource verified;
  /// The store created, or null when none was (the source never got that far, or its version
  /// could not be created: then `creation_failure` says why, and the verification decides which
  /// of the two the caller reports).
  std::unique_ptr<StoreLayout> layout;
  std::exception_ptr creation_failure;
  /// The store's global root right after it was created (before anything was loaded).
  std::string global_root_before;
  /// Keys dropped for the load; the caller builds them again before it commits. Reference checks
  /// are deferred too: the caller stores the source's tenants and signing keys (in
  /// `verified.result`) after the load, then checks every reference.
  DeferredKeys deferred_keys;
  std::int64_t bundles_loaded = 0;
  std::int64_t artifacts_loaded = 0;
  std::int64_t attestations_loaded = 0;
};

/// Inside the caller's transaction, on a database that holds no store and where the session may
/// defer reference checks (defer_reference_checks): reads `location` through its importer,
/// creating the store at `schema_version` (nullopt: the one the source's manifest names, else
/// init's default) before the first thing is loaded. Throws what the importer throws
/// (sdk::Error(invalid_input) for unsafe or malformed input) and what the database throws for a
/// source that verifies; the caller's transaction then rolls back.
NewStoreLoad load_into_new_store(PgConnection& connection, PluginRegistry& registry,
                                 const std::string& location,
                                 const std::optional<std::string>& source_format,
                                 const std::optional<std::string>& schema_version,
                                 const sdk::ImportLimits& limits, const std::string& operator_name,
                                 sdk::HostContext& ctx);

}  // namespace stella::host
