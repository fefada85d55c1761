// reconcile: the source's bundles (read through its importer plugin, verified by the host's
// ContentVerifier) against the store's, by bundle id; --apply imports the missing ones through
// import_evidence, the path `stella evidence import` takes.
#include "stella/host/diagnostics/reconcile.hpp"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <unordered_set>

#include "diagnostics/attestor_source.hpp"
#include "stella/host/bundles/bundle_import.hpp"
#include "stella/host/cli/did_you_mean.hpp"
#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Bundles looked up in the store per query.
constexpr std::size_t kLookupBatch = 1000;

/// A bundle as the source records it: what the comparison needs (bytes are verified on the way
/// by the ContentVerifier and not kept).
struct SourceBundle {
  std::string tenant;
  std::string root;
  /// path -> declared digest
  std::map<std::string, std::string> artifacts;
};

/// Forwards everything to the ContentVerifier and keeps each bundle's identity and digests.
class RecordingSink final : public sdk::ImportSink {
 public:
  explicit RecordingSink(ContentVerifier& verifier) : verifier_(verifier) {}

  void source_manifest(const std::string& manifest_json) override {
    verifier_.source_manifest(manifest_json);
  }
  void tenant(const sdk::ImportedTenant& tenant) override { verifier_.tenant(tenant); }
  void signing_key(const sdk::ImportedSigningKey& key) override { verifier_.signing_key(key); }
  void bundle(const sdk::ImportedBundle& bundle) override {
    verifier_.bundle(bundle);
    order_.push_back(bundle.bundle_id);
    bundles_[bundle.bundle_id] = SourceBundle{bundle.tenant, bundle.declared_root, {}};
  }
  void artifact(const sdk::ImportedArtifact& artifact) override {
    verifier_.artifact(artifact);
    const auto bundle = bundles_.find(artifact.bundle_id);
    if (bundle != bundles_.end()) {
      bundle->second.artifacts[artifact.path] = artifact.declared_digest;
    }
  }
  void attestation(const sdk::ImportedAttestation& attestation) override {
    verifier_.attestation(attestation);
  }
  void declared_root(const sdk::DeclaredRoot& root) override { verifier_.declared_root(root); }
  void proof(const sdk::ImportedProof& proof) override { verifier_.proof(proof); }
  void problem(const sdk::SourceProblem& problem) override { verifier_.problem(problem); }

  const std::vector<std::string>& order() const { return order_; }
  const std::map<std::string, SourceBundle>& bundles() const { return bundles_; }

 private:
  ContentVerifier& verifier_;
  std::vector<std::string> order_;
  std::map<std::string, SourceBundle> bundles_;
};

/// Collects every stored bundle's tenant, id and root (no artifacts).
class StoreBundleIds final : public EvidenceVisitor {
 public:
  void begin_bundle(const BundleEntry& bundle) override {
    bundles.push_back({bundle.tenant_id, bundle.bundle_id, bundle.stored_root});
  }
  struct Entry {
    std::string tenant;
    std::string bundle;
    std::string root;
  };
  std::vector<Entry> bundles;
};

std::string algorithm_of(const std::string& digest) {
  return digest.substr(0, digest.find(':'));
}

void compare(const std::string& bundle_id, const SourceBundle& source, const StoredBundle& stored,
             ReconcileReport& report) {
  ReconcileBundle bundle{source.tenant, bundle_id, source.root, stored.bundle.stored_root, {}};
  if (source.tenant != stored.bundle.tenant_id) {
    bundle.differences.push_back({"tenant", "", source.tenant, stored.bundle.tenant_id});
  }
  const bool same_algorithm = algorithm_of(source.root) == algorithm_of(stored.bundle.stored_root);
  if (!same_algorithm) {
    // Digests of different algorithms cannot be compared by value; paths still can.
    bundle.differences.push_back(
        {"algorithm", "", algorithm_of(source.root), algorithm_of(stored.bundle.stored_root)});
  } else if (source.root != stored.bundle.stored_root) {
    bundle.differences.push_back({"bundle_root", "", source.root, stored.bundle.stored_root});
  }
  std::map<std::string, std::string> store_artifacts;
  for (const StoredArtifactRef& artifact : stored.artifacts) {
    store_artifacts[artifact.path] = artifact.digest;
  }
  for (const auto& [path, digest] : source.artifacts) {
    const auto found = store_artifacts.find(path);
    if (found == store_artifacts.end()) {
      bundle.differences.push_back({"artifact_missing_in_store", path, digest, ""});
    } else if (same_algorithm && found->second != digest) {
      bundle.differences.push_back({"artifact_digest", path, digest, found->second});
    }
  }
  for (const auto& [path, digest] : store_artifacts) {
    if (!source.artifacts.count(path)) {
      bundle.differences.push_back({"artifact_missing_in_source", path, "", digest});
    }
  }
  // A difference of algorithm alone is not a mismatch: the store was reindexed.
  const bool only_algorithm =
      bundle.differences.size() == 1 && bundle.differences.front().field == "algorithm";
  if (bundle.differences.empty() || only_algorithm) {
    ++report.matched;
  } else {
    report.mismatched.push_back(std::move(bundle));
  }
}

/// A private temporary directory for the source's NDJSON, removed when it goes.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "stella-reconcile-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "cannot create a temporary directory under " +
                           std::filesystem::temp_directory_path().string());
    }
    path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

const char* source_format_of(const std::string& source) {
  std::string known;
  std::vector<std::string> names;
  for (const ReconcileSource& candidate : kReconcileSources) {
    if (source == candidate.name) {
      return candidate.source_format;
    }
    known += (known.empty() ? "" : ", ") + std::string(candidate.name);
    names.emplace_back(candidate.name);
  }
  const auto suggestion = closest_match(source, names);
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "unknown --source '" + source + "'; known sources: " + known,
                   suggestion ? "did you mean '" + *suggestion + "'?"
                              : "for example: stella evidence reconcile --source attestor");
}

}  // namespace

ReconcileReport reconcile_with_source(const std::string& conninfo, PluginRegistry& registry,
                                      const ReconcileOptions& options, sdk::HostContext& ctx) {
  ReconcileReport report;
  report.source = options.source;
  report.source_format = source_format_of(options.source);
  report.mode = options.apply ? "apply" : "dry-run";
  if (options.source_file && options.source_database) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--source-file and --source-database were both given; expected one of them",
                     "--source-file reads an NDJSON export, --source-database the attestor's "
                     "tables; with neither, the attestor schema of the store's database is read");
  }
  const auto note = [&](const std::string& line) {
    if (options.note) {
      options.note(line);
    }
  };

  auto connection = PgConnection::connect(conninfo);
  report.database = database_name(*connection);
  const auto layout = open_store_layout(*connection);
  report.schema_version = layout->schema_version();

  ScratchDirectory scratch;
  std::filesystem::path source_path;
  if (options.source_file) {
    source_path = *options.source_file;
    report.source_location = source_path.string();
  } else {
    source_path = scratch.path() / "attestor-records.ndjson";
    const std::string source_conninfo = options.source_database.value_or(conninfo);
    const std::int64_t entries = export_attestor_records(source_conninfo, source_path);
    auto source_connection = PgConnection::connect(source_conninfo);
    report.source_location = "database " + database_name(*source_connection) + ", schema attestor";
    note("read " + std::to_string(entries) + " attestor entries from " + report.source_location);
  }

  // Read the source through its importer plugin, verifying every record on the way.
  auto importer = registry.create_importer(report.source_format);
  for (const PluginRecord& record : registry.plugins()) {
    for (const std::string& format : record.manifest.source_formats) {
      if (format == report.source_format && record.status == PluginStatus::loaded) {
        report.plugin_id = record.manifest.id;
      }
    }
  }
  ContentVerifier verifier;
  RecordingSink sink(verifier);
  importer->read(source_path.string(), options.limits, sink, ctx);
  verifier.finish();
  for (const BundleProblem& problem : verifier.result().problems) {
    report.source_problems.push_back(problem);
  }
  report.source_bundles = static_cast<std::int64_t>(sink.order().size());

  // Source bundles against the store, in batches.
  connection->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  // After a reindex the store still keeps a generation of the source's algorithm: compared in it,
  // content is compared by value, where the active generation's digests allow paths alone.
  std::unique_ptr<StoreLayout> in_source_algorithm;
  if (!sink.bundles().empty()) {
    const std::string source_algorithm = algorithm_of(sink.bundles().begin()->second.root);
    std::optional<int> newest;
    bool active_matches = false;
    for (const DigestGeneration& generation : layout->generations(*connection)) {
      if (generation.algorithm == source_algorithm) {
        active_matches = active_matches || generation.active;
        newest = generation.generation;
      }
    }
    // Only a sealed generation covers every bundle (one being built would lack digests).
    if (!active_matches && newest &&
        connection
                ->exec("SELECT state FROM evidence.digest_generations WHERE generation = $1",
                       {std::to_string(*newest)})
                .get(0, 0) == "sealed") {
      in_source_algorithm = layout->reading_generation(*connection, *newest);
    }
  }
  const StoreLayout& compared = in_source_algorithm ? *in_source_algorithm : *layout;
  std::set<std::string> missing_ids;
  const auto& order = sink.order();
  for (std::size_t first = 0; first < order.size(); first += kLookupBatch) {
    const std::size_t last = std::min(order.size(), first + kLookupBatch);
    const std::vector<std::string> ids(order.begin() + static_cast<std::ptrdiff_t>(first),
                                       order.begin() + static_cast<std::ptrdiff_t>(last));
    std::map<std::string, StoredBundle> stored;
    for (StoredBundle& bundle : compared.find_bundles(*connection, ids)) {
      stored.emplace(bundle.bundle.bundle_id, std::move(bundle));
    }
    for (const std::string& id : ids) {
      const SourceBundle& source = sink.bundles().at(id);
      const auto found = stored.find(id);
      if (found == stored.end()) {
        report.missing.push_back({source.tenant, id, source.root, "", {}});
        missing_ids.insert(id);
      } else {
        compare(id, source, found->second, report);
      }
    }
  }
  StoreBundleIds store_bundles;
  layout->stream_bundle_roots(*connection, store_bundles);
  connection->commit();
  report.store_bundles = static_cast<std::int64_t>(store_bundles.bundles.size());
  for (const auto& bundle : store_bundles.bundles) {
    if (!sink.bundles().count(bundle.bundle)) {
      report.extra.push_back({bundle.tenant, bundle.bundle, "", bundle.root, {}});
    }
  }

  if (!options.apply || missing_ids.empty()) {
    return report;
  }
  // A missing bundle whose own record does not verify is not imported (import would refuse the
  // whole source for it); the report names it among the source problems.
  for (const BundleProblem& problem : report.source_problems) {
    missing_ids.erase(problem.bundle);
  }
  if (missing_ids.empty()) {
    note("no missing bundle verifies; nothing imported");
    return report;
  }
  const std::filesystem::path missing_path = scratch.path() / "missing-bundles.ndjson";
  filter_attestor_records(source_path, missing_path, missing_ids);
  ImportOptions import;
  import.locations = {missing_path.string()};
  import.source_format = report.source_format;
  import.limits = options.limits;
  import.operator_name = options.operator_name;
  import.note = options.note;
  note("importing " + std::to_string(missing_ids.size()) + " missing bundles");
  const ImportSummary summary = import_evidence(conninfo, registry, import, ctx);
  report.imported = summary.bundles_imported;
  report.import_audit_event_id = summary.audit_event_id;
  report.global_root_before = summary.global_root_before;
  report.global_root_after = summary.global_root_after;
  return report;
}

}  // namespace stella::host
