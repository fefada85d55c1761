#include "bundles/new_store_load.hpp"

#include <unordered_set>

#include "bundles/bundle_documents.hpp"
#include "bundles/deferred_reference_checks.hpp"
#include "bundles/importer_selection.hpp"
#include "bundles/loading_sink.hpp"
#include "stella/host/evidence/store_init.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Forwards every call to a LoadingSink over a store it creates at the first call — the manifest,
/// which names the version, in every source that has one. When the store cannot be created (the
/// manifest names a version this stella does not have), it goes on verifying only, and the caller
/// reports whichever comes first: the source's problems, or the failure.
class StoreCreatingSink final : public sdk::ImportSink {
 public:
  StoreCreatingSink(PgConnection& connection, const std::optional<std::string>& schema_version,
                    const std::string& operator_name, NewStoreLoad& load)
      : connection_(connection),
        schema_version_(schema_version),
        operator_name_(operator_name),
        load_(load) {}

  void source_manifest(const std::string& manifest_json) override {
    target(manifest_schema_version(manifest_json)).source_manifest(manifest_json);
  }
  void tenant(const sdk::ImportedTenant& tenant) override { target().tenant(tenant); }
  void signing_key(const sdk::ImportedSigningKey& key) override { target().signing_key(key); }
  void bundle(const sdk::ImportedBundle& bundle) override { target().bundle(bundle); }
  void artifact(const sdk::ImportedArtifact& artifact) override { target().artifact(artifact); }
  void attestation(const sdk::ImportedAttestation& attestation) override {
    target().attestation(attestation);
  }
  void declared_root(const sdk::DeclaredRoot& root) override { target().declared_root(root); }
  void proof(const sdk::ImportedProof& proof) override { target().proof(proof); }
  void problem(const sdk::SourceProblem& problem) override { target().problem(problem); }

  /// Ends the read: the loader's work waited for, the verification finished.
  SourceVerification finish() {
    if (loading_) {
      loading_->finish();
      load_.bundles_loaded = loading_->bundles_loaded();
      load_.artifacts_loaded = loading_->artifacts_loaded();
      load_.attestations_loaded = loading_->attestations_loaded();
      return loading_->verifier().result();
    }
    if (!verifying_) {
      // The importer sent nothing at all; the verification says what is missing.
      verifying_.emplace();
    }
    verifying_->finish();
    return verifying_->result();
  }

 private:
  /// The sink of every call: at the first, the store is created (at `source_version` unless the
  /// operator named one).
  sdk::ImportSink& target(const std::string& source_version = {}) {
    if (loading_) {
      return *loading_;
    }
    if (verifying_) {
      return *verifying_;
    }
    const std::string version =
        schema_version_.value_or(source_version.empty() ? kDefaultSchemaVersion : source_version);
    try {
      create_store(version);
    } catch (const sdk::Error&) {
      load_.creation_failure = std::current_exception();
      load_.layout.reset();
      verifying_.emplace();
      verifying_->check_signatures(true);
      return *verifying_;
    }
    return *loading_;
  }

  void create_store(const std::string& version) {
    const InitOutcome outcome = init_store_in_transaction(connection_, version, operator_name_);
    if (!outcome.created) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "a store appeared in database " + outcome.database +
                           " while it was imported into; nothing was imported",
                       "import again: the import then compares the source with that store");
    }
    load_.layout = open_store_layout(connection_);
    const StoredRoots roots = load_.layout->stored_roots(connection_);
    load_.global_root_before = roots.global ? roots.global->root : std::string();
    if (!defer_reference_checks(connection_)) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "the new store's reference checks could not be deferred",
                       "this is a bug in stella: import into a store created with `stella "
                       "evidence init` meanwhile");
    }
    load_.deferred_keys = defer_key_builds(connection_, kKeysBuiltAfterLoad);
    loading_.emplace(connection_, *load_.layout, no_skip_, LoadingSink::Pass::only);
  }

  PgConnection& connection_;
  const std::optional<std::string>& schema_version_;
  const std::string& operator_name_;
  NewStoreLoad& load_;
  const std::unordered_set<std::string> no_skip_;
  std::optional<LoadingSink> loading_;
  std::optional<ContentVerifier> verifying_;
};

}  // namespace

NewStoreLoad load_into_new_store(PgConnection& connection, PluginRegistry& registry,
                                 const std::string& location,
                                 const std::optional<std::string>& source_format,
                                 const std::optional<std::string>& schema_version,
                                 const sdk::ImportLimits& limits, const std::string& operator_name,
                                 sdk::HostContext& ctx) {
  SelectedImporter selected = select_importer(registry, location, source_format);
  NewStoreLoad load;
  StoreCreatingSink sink(connection, schema_version, operator_name, load);
  selected.importer->read(location, limits, sink, ctx);
  load.verified = {location, selected.source_format, selected.plugin_id, sink.finish(), {}};
  return load;
}

}  // namespace stella::host
