// `stella evidence export`: one walk of the store in Merkle order (StoreLayout::stream_evidence),
// written file by file as it arrives. Memory stays flat: one bundle's artifacts at a time (in an
// ArtifactSpool), the leaf hashes of one tenant's bundles when proofs are asked for, and the
// checksum lines in a temporary file.
#include <algorithm>
#include <set>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "bundles/artifact_spool.hpp"
#include "bundles/bundle_documents.hpp"
#include "bundles/bundle_file_writer.hpp"
#include "bundles/export_interruption.hpp"
#include "bundles/export_target.hpp"
#include "bundles/rfc3339_time.hpp"
#include "bundles/sha256_stream.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/bundles/bundle_export.hpp"
#include "stella/host/bundles/bundle_format.hpp"
#include "stella/host/bundles/merkle_levels.hpp"
#include "stella/host/cli/did_you_mean.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/hasher_for_algorithm.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/host/resources.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::string_view kSha256Prefix = "sha256:";
constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kDelete = 0x7f;

/// Why `path` cannot be a file name inside a bundle (the importers refuse the same), or empty.
std::string unexportable_reason(std::string_view path) {
  if (path.empty() || path.front() == '/') {
    return "it is empty or absolute";
  }
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < kFirstPrintable || byte == kDelete || c == '\\') {
      return "it contains a control character or a backslash";
    }
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return "it has an empty, '.' or '..' segment";
    }
    start = slash + 1;
  }
  return {};
}

void require_exportable(std::string_view name, const std::string& what) {
  if (const std::string reason = unexportable_reason(name); !reason.empty()) {
    throw sdk::Error(
        sdk::ErrorCode::refused,
        what + " '" + std::string(name) + "' cannot be a file name in a bundle: " + reason,
        "nothing was exported; this store holds a name the bundle format cannot "
        "carry (docs/bundle-format.md)");
  }
}

[[noreturn]] void store_does_not_verify(const std::string& what, const std::string& expected,
                                        const std::string& found) {
  throw sdk::Error(sdk::ErrorCode::verification_failed,
                   "the store does not verify: " + what + " (stored " + expected + ", recomputed " +
                       found + "); nothing was exported",
                   "run `stella evidence verify-all` to see every problem; an export must not "
                   "carry evidence whose chain of custody is already broken");
}

/// Seconds since the Unix epoch of the store's root time (the archive entries' time).
std::int64_t unix_seconds(const std::string& iso) {
  constexpr std::int64_t kMicrosPerSecond = 1'000'000;
  const auto micros = parse_rfc3339_utc_micros(iso);
  if (!micros) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "the store's root time '" + iso + "' is not RFC 3339 UTC");
  }
  return *micros / kMicrosPerSecond;
}

struct SpooledArtifact {
  RecordArtifact record;
  std::uint64_t offset = 0;
  std::string sha256_hex;
};

class EvidenceExporter final : public EvidenceVisitor {
 public:
  EvidenceExporter(const ExportOptions& options, const std::filesystem::path& staging,
                   std::string schema_version)
      : options_(options), staging_(staging), schema_version_(std::move(schema_version)) {}

  void begin_walk(const EvidenceSnapshot& snapshot) override {
    if (!snapshot.global_root) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "the store has no global root; nothing was exported",
                       "recompute the roots (`stella evidence verify-all` names what is missing)");
    }
    global_ = *snapshot.global_root;
    hasher_ = hasher_for_algorithm(global_.algorithm);
    summary_.algorithm = global_.algorithm;
    summary_.global_root = global_.root;
    summary_.created_at = global_.computed_at;
    choose_tenants(snapshot.tenants);

    if (options_.portable) {
      writer_ = make_tar_gz_writer(staging_, unix_seconds(global_.computed_at));
    } else {
      writer_ = make_directory_writer(staging_);
    }
    write_manifest(snapshot.tenants);
    if (options_.include_attestations) {
      writer_->add(bundle_format::kSigningKeysFile, signing_keys_document(snapshot.signing_keys));
    }
    write_tenant_proofs(snapshot.tenants);
    if (options_.include_schemas) {
      write_schemas();
    }
  }

  void begin_tenant(const TenantEntry& tenant) override {
    selected_ = selected_tenants_.count(tenant.tenant_id) != 0;
    if (!selected_) {
      return;
    }
    require_exportable(tenant.tenant_id, "tenant id");
    tenant_ = tenant;
    tenant_builder_ = std::make_unique<MerkleRootBuilder>(*hasher_);
    tenant_leaves_.clear();
    tenant_bundle_ids_.clear();
    tenant_bundle_roots_.clear();
    tenant_bundles_ = 0;
    tenant_artifacts_ = 0;
  }

  void begin_bundle(const BundleEntry& bundle) override {
    if (!selected_) {
      return;
    }
    require_exportable(bundle.bundle_id, "bundle id");
    bundle_ = bundle;
    spooled_.clear();
    spool_.clear();
    bundle_builder_ = std::make_unique<MerkleRootBuilder>(*hasher_);
  }

  void artifact(const ArtifactEntry& artifact) override {
    if (!selected_) {
      return;
    }
    require_exportable(artifact.path, "artifact path");
    if (!spooled_.empty() && !(spooled_.back().record.path < artifact.path)) {
      throw sdk::Error(sdk::ErrorCode::internal, "artifacts of bundle " + bundle_.bundle_id +
                                                     " arrived out of path order (" +
                                                     spooled_.back().record.path + " before " +
                                                     std::string(artifact.path) + ")");
    }
    const std::string digest =
        format_digest(hasher_->algorithm_id(), hasher_->digest(artifact.content));
    if (digest != artifact.stored_digest) {
      store_does_not_verify("artifact " + std::string(artifact.path) + " of bundle " +
                                bundle_.bundle_id + " does not hash to its stored digest",
                            std::string(artifact.stored_digest), digest);
    }
    const std::string_view bytes(reinterpret_cast<const char*>(artifact.content.data()),
                                 artifact.content.size());
    SpooledArtifact spooled;
    spooled.record = {std::string(artifact.path), std::string(artifact.media_type),
                      static_cast<std::int64_t>(artifact.content.size()), digest};
    spooled.offset = spool_.append(bytes);
    spooled.sha256_hex = std::string_view(digest).substr(0, kSha256Prefix.size()) == kSha256Prefix
                             ? digest.substr(kSha256Prefix.size())
                             : sha256_hex_of(bytes);
    bundle_builder_->add_leaf_hash(artifact_leaf_hash(*hasher_, artifact.path, digest));
    spooled_.push_back(std::move(spooled));
  }

  void end_bundle() override {
    if (!selected_) {
      return;
    }
    const std::string root = format_digest(hasher_->algorithm_id(), bundle_builder_->root());
    if (root != bundle_.stored_root) {
      store_does_not_verify("bundle " + bundle_.bundle_id + "'s artifacts do not give its root",
                            bundle_.stored_root, root);
    }
    const bool has_attestation = bundle_.attestation.has_value();
    const char* attestation_state =
        !has_attestation ? "none" : (options_.include_attestations ? "included" : "excluded");
    std::vector<RecordArtifact> records;
    records.reserve(spooled_.size());
    for (const SpooledArtifact& spooled : spooled_) {
      records.push_back(spooled.record);
    }
    writer_->add(bundle_format::bundle_record_file(tenant_.tenant_id, bundle_.bundle_id),
                 bundle_record_document(bundle_, records, attestation_state));
    for (const SpooledArtifact& spooled : spooled_) {
      writer_->add(
          bundle_format::artifact_file(tenant_.tenant_id, bundle_.bundle_id, spooled.record.path),
          spool_.read(spooled.offset, static_cast<std::uint64_t>(spooled.record.size)),
          spooled.sha256_hex);
      summary_.artifact_bytes += spooled.record.size;
    }
    if (has_attestation && options_.include_attestations) {
      writer_->add(bundle_format::attestation_file(tenant_.tenant_id, bundle_.bundle_id),
                   *bundle_.attestation);
      ++summary_.attestations;
    }
    DigestBytes leaf = bundle_leaf_hash(*hasher_, bundle_.bundle_id, root);
    if (options_.include_proofs) {
      tenant_leaves_.push_back(leaf);
      tenant_bundle_ids_.push_back(bundle_.bundle_id);
      tenant_bundle_roots_.push_back(root);
    }
    tenant_builder_->add_leaf_hash(std::move(leaf));
    ++tenant_bundles_;
    tenant_artifacts_ += static_cast<std::int64_t>(spooled_.size());
    ++summary_.bundles;
    summary_.artifacts += static_cast<std::int64_t>(spooled_.size());
    if (options_.progress) {
      options_.progress(summary_.bundles, bundles_total_);
    }
  }

  void end_tenant() override {
    if (!selected_) {
      return;
    }
    selected_ = false;
    const std::string root = format_digest(hasher_->algorithm_id(), tenant_builder_->root());
    const std::string stored = tenant_.stored_root ? tenant_.stored_root->root : "no root";
    if (root != stored) {
      store_does_not_verify("tenant " + tenant_.tenant_id + "'s bundles do not give its root",
                            stored, root);
    }
    if (tenant_.stored_root->bundle_count != tenant_bundles_ ||
        tenant_.stored_root->artifact_count != tenant_artifacts_) {
      store_does_not_verify("tenant " + tenant_.tenant_id + "'s counts",
                            std::to_string(tenant_.stored_root->bundle_count) + " bundles, " +
                                std::to_string(tenant_.stored_root->artifact_count) + " artifacts",
                            std::to_string(tenant_bundles_) + " bundles, " +
                                std::to_string(tenant_artifacts_) + " artifacts");
    }
    summary_.tenants.push_back(*tenant_.stored_root);
    if (options_.include_proofs && !tenant_leaves_.empty()) {
      const MerkleLevels tree(*hasher_, std::move(tenant_leaves_));
      for (std::uint64_t i = 0; i < tree.size(); ++i) {
        ProofContent proof;
        proof.level = "bundle";
        proof.tenant = tenant_.tenant_id;
        proof.bundle_id = tenant_bundle_ids_[i];
        proof.leaf_index = i;
        proof.tree_size = tree.size();
        for (const DigestBytes& step : tree.inclusion_path(i)) {
          proof.path.push_back(format_digest(hasher_->algorithm_id(), step));
        }
        proof.root = root;
        proof.leaf_root = tenant_bundle_roots_[i];
        writer_->add(bundle_format::bundle_proof_file(tenant_.tenant_id, proof.bundle_id),
                     proof_document(proof));
        ++summary_.proofs;
      }
      tenant_leaves_ = {};
    }
    ++tenants_done_;
  }

  /// After the walk: every selected tenant was met, then checksums.sha256 closes the output.
  ExportSummary finish() {
    if (tenants_done_ != selected_tenants_.size()) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "the walk met " + std::to_string(tenants_done_) + " of the " +
                           std::to_string(selected_tenants_.size()) + " tenants to export");
    }
    writer_->finish();
    summary_.files = writer_->files();
    summary_.archive_digest = writer_->output_digest();
    return summary_;
  }

 private:
  void choose_tenants(const std::vector<TenantEntry>& tenants) {
    std::set<std::string> known;
    for (const TenantEntry& tenant : tenants) {
      known.insert(tenant.tenant_id);
      if (!tenant.stored_root) {
        throw sdk::Error(
            sdk::ErrorCode::refused,
            "tenant " + tenant.tenant_id + " has no stored root; nothing was exported",
            "recompute the roots (`stella evidence verify-all` names what is missing)");
      }
    }
    if (options_.all_tenants) {
      selected_tenants_ = known;
    } else {
      for (const std::string& tenant : options_.tenants) {
        if (known.count(tenant) == 0) {
          std::string list;
          for (const std::string& id : known) {
            list += (list.empty() ? "" : ", ") + id;
          }
          const auto suggestion =
              closest_match(tenant, std::vector<std::string>(known.begin(), known.end()));
          throw sdk::Error(sdk::ErrorCode::invalid_input,
                           "no tenant '" + tenant + "' in the store; it holds: " +
                               (list.empty() ? std::string("no tenants") : list),
                           suggestion ? "did you mean '" + *suggestion + "'?"
                                      : "name tenants the store holds, or export everything "
                                        "with --all");
        }
        selected_tenants_.insert(tenant);
      }
    }
    for (const TenantEntry& tenant : tenants) {
      if (selected_tenants_.count(tenant.tenant_id) != 0) {
        bundles_total_ += tenant.stored_root->bundle_count;
      }
    }
    summary_.scope = selected_tenants_.size() == tenants.size() ? "all" : "tenants";
  }

  void write_manifest(const std::vector<TenantEntry>& tenants) {
    ManifestContent manifest;
    manifest.tool_version = STELLA_VERSION;
    manifest.created_at = global_.computed_at;
    manifest.schema_version = schema_version_;
    manifest.algorithm = global_.algorithm;
    manifest.global_root = global_.root;
    manifest.store_tenants = static_cast<std::int64_t>(tenants.size());
    manifest.store_bundles = global_.bundle_count;
    manifest.store_artifacts = global_.artifact_count;
    manifest.scope = summary_.scope;
    manifest.include_attestations = options_.include_attestations;
    manifest.include_proofs = options_.include_proofs;
    manifest.include_schemas = options_.include_schemas;
    manifest.portable = options_.portable;
    for (const TenantEntry& tenant : tenants) {
      if (selected_tenants_.count(tenant.tenant_id) == 0) {
        continue;
      }
      manifest.tenants.push_back(
          {tenant.tenant_id, tenant.display_name.empty() ? tenant.tenant_id : tenant.display_name,
           tenant.stored_root->root, tenant.stored_root->bundle_count,
           tenant.stored_root->artifact_count});
    }
    const std::string text = manifest_document(manifest);
    summary_.manifest_digest = "sha256:" + sha256_hex_of(text);
    writer_->add(bundle_format::kManifestFile, text);
  }

  /// Tenant roots into the global root: from the stored roots of every tenant, checked against
  /// the stored global root; each exported tenant's root is checked against its bundles later.
  void write_tenant_proofs(const std::vector<TenantEntry>& tenants) {
    std::vector<DigestBytes> leaves;
    leaves.reserve(tenants.size());
    for (const TenantEntry& tenant : tenants) {
      leaves.push_back(tenant_leaf_hash(*hasher_, tenant.tenant_id, tenant.stored_root->root));
    }
    const std::string global =
        format_digest(hasher_->algorithm_id(),
                      leaves.empty() ? hasher_->empty_root() : merkle_root(*hasher_, leaves));
    if (global != global_.root) {
      store_does_not_verify("the tenant roots do not give the global root", global_.root, global);
    }
    const bool partial = summary_.scope != "all";
    if (!(options_.include_proofs || partial) || leaves.empty()) {
      return;
    }
    const MerkleLevels tree(*hasher_, std::move(leaves));
    for (std::uint64_t i = 0; i < tree.size(); ++i) {
      const TenantEntry& tenant = tenants[static_cast<std::size_t>(i)];
      if (selected_tenants_.count(tenant.tenant_id) == 0) {
        continue;
      }
      ProofContent proof;
      proof.level = "tenant";
      proof.tenant = tenant.tenant_id;
      proof.leaf_root = tenant.stored_root->root;
      proof.leaf_index = i;
      proof.tree_size = tree.size();
      for (const DigestBytes& step : tree.inclusion_path(i)) {
        proof.path.push_back(format_digest(hasher_->algorithm_id(), step));
      }
      proof.root = global_.root;
      writer_->add(bundle_format::tenant_proof_file(tenant.tenant_id), proof_document(proof));
      ++summary_.proofs;
    }
  }

  void write_schemas() {
    const std::string sql_prefix = "sql/" + schema_version_ + "/";
    for (const auto& [name, content] : all_resources()) {
      const bool json_schema = name.find('/') == std::string_view::npos && name.size() > 5 &&
                               name.substr(name.size() - 5) == ".json";
      const bool source_sql = name.rfind(sql_prefix, 0) == 0;
      if (json_schema || source_sql) {
        writer_->add(bundle_format::schema_copy_file(name), content);
      }
    }
  }

  const ExportOptions& options_;
  std::filesystem::path staging_;
  std::string schema_version_;
  StoredGlobalRoot global_;
  std::unique_ptr<TreeHasher> hasher_;
  std::unique_ptr<BundleFileWriter> writer_;
  std::set<std::string> selected_tenants_;
  std::int64_t bundles_total_ = 0;
  bool selected_ = false;
  std::size_t tenants_done_ = 0;
  TenantEntry tenant_;
  std::unique_ptr<MerkleRootBuilder> tenant_builder_;
  std::vector<DigestBytes> tenant_leaves_;
  std::vector<std::string> tenant_bundle_ids_;
  std::vector<std::string> tenant_bundle_roots_;
  std::int64_t tenant_bundles_ = 0;
  std::int64_t tenant_artifacts_ = 0;
  BundleEntry bundle_;
  std::unique_ptr<MerkleRootBuilder> bundle_builder_;
  ArtifactSpool spool_;
  std::vector<SpooledArtifact> spooled_;
  ExportSummary summary_;
};

std::string export_event_data(const ExportSummary& summary) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("output");
  w.String(summary.output);
  w.Key("layout");
  w.String(summary.layout);
  w.Key("manifest_digest");
  w.String(summary.manifest_digest);
  if (!summary.archive_digest.empty()) {
    w.Key("archive_digest");
    w.String(summary.archive_digest);
  }
  w.Key("schema_version");
  w.String(summary.schema_version);
  w.Key("algorithm");
  w.String(summary.algorithm);
  w.Key("global_root");
  w.String(summary.global_root);
  w.Key("scope");
  w.String(summary.scope);
  w.Key("tenants");
  w.StartArray();
  for (const StoredTenantRoot& tenant : summary.tenants) {
    w.StartObject();
    w.Key("tenant");
    w.String(tenant.tenant_id);
    w.Key("root");
    w.String(tenant.root);
    w.Key("bundles");
    w.Int64(tenant.bundle_count);
    w.Key("artifacts");
    w.Int64(tenant.artifact_count);
    w.EndObject();
  }
  w.EndArray();
  w.Key("counts");
  w.StartObject();
  w.Key("tenants");
  w.Int64(static_cast<std::int64_t>(summary.tenants.size()));
  w.Key("bundles");
  w.Int64(summary.bundles);
  w.Key("artifacts");
  w.Int64(summary.artifacts);
  w.Key("attestations");
  w.Int64(summary.attestations);
  w.Key("proofs");
  w.Int64(summary.proofs);
  w.Key("files");
  w.Uint64(summary.files);
  w.EndObject();
  w.Key("options");
  w.StartObject();
  w.Key("include_attestations");
  w.Bool(summary.include_attestations);
  w.Key("include_proofs");
  w.Bool(summary.include_proofs);
  w.Key("include_schemas");
  w.Bool(summary.include_schemas);
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

ExportSummary export_evidence(const std::string& conninfo, const ExportOptions& options) {
  if (options.all_tenants == !options.tenants.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     options.all_tenants ? "--all and --tenant exclude each other"
                                         : "export needs --all or at least one --tenant T",
                     "for example: stella evidence export --all --output /backup/evidence/");
  }
  const auto connection = PgConnection::connect(conninfo);
  const auto layout = open_store_layout(*connection);
  // Declared before the target, so that the signals stay caught until its staging is gone.
  ExportInterruption interruption;
  ExportTarget target(options.output, options.portable, options.force);
  ExportOptions guarded = options;
  guarded.progress = interruption.guard(options.progress);
  EvidenceExporter exporter(guarded, target.staging(), layout->schema_version());
  layout->stream_evidence(conninfo, exporter);
  ExportSummary summary = exporter.finish();
  // The last moment to stop: from here the export is recorded and put in place.
  interruption.check(summary.bundles, summary.bundles);
  summary.output = target.path().string();
  summary.layout = options.portable ? "portable" : "directory";
  summary.schema_version = layout->schema_version();
  summary.include_attestations = options.include_attestations;
  summary.include_proofs = options.include_proofs;
  summary.include_schemas = options.include_schemas;
  target.require_target_still_free();
  {
    // The export is recorded before it becomes visible at --output: an export nobody recorded
    // never appears where the operator looks.
    PgTransaction transaction(*connection);
    ensure_state_schema(*connection);
    summary.audit_event_id = append_audit_event(*connection, audit_type::kExport,
                                                options.operator_name, export_event_data(summary));
    transaction.commit();
  }
  target.commit();
  return summary;
}

}  // namespace stella::host
