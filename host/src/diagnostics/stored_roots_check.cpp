// The roots area of integrity-check: each stored root against what it commits to *as stored*,
// reading no artifact bytes. Bundle roots are recomputed from the stored artifact digests, tenant
// roots from the stored bundle roots, the global root from the stored tenant roots — so a problem
// names the one level that disagrees with the level below it. Two connections share one snapshot:
// one walks the bundles in Merkle order, the other fetches each batch's artifact digests. As in
// verify-all, a problem's "expected" is what the store records, "found" what its parts give.
#include <map>
#include <optional>

#include "diagnostics/integrity_areas.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/host/reindex/algorithm_hashers.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Bundles whose artifact digests are fetched in one query.
constexpr std::size_t kBundleBatch = 1000;
/// What pg_export_snapshot() returns ("00000003-0000001B-1").
constexpr const char* kSnapshotIdCharacters = "0123456789ABCDEFabcdef-";

class RootsWalk final : public EvidenceVisitor {
 public:
  RootsWalk(const StoreLayout& layout, PgConnection& lookup, const TreeHasher& hasher,
            const StoredRoots& stored, IntegrityCollector& collector)
      : layout_(layout), lookup_(lookup), hasher_(hasher), collector_(collector), global_(hasher) {
    for (const StoredTenantRoot& tenant : stored.tenants) {
      stored_tenants_.emplace(tenant.tenant_id, tenant);
    }
  }

  void begin_tenant(const TenantEntry& tenant) override {
    tenant_id_ = tenant.tenant_id;
    tenant_tree_.emplace(hasher_);
    tenant_artifacts_ = 0;
  }

  void begin_bundle(const BundleEntry& bundle) override {
    tenant_tree_->add_leaf_hash(bundle_leaf_hash(hasher_, bundle.bundle_id, bundle.stored_root));
    tenant_artifacts_ += bundle.artifact_count;
    pending_.push_back({bundle.tenant_id, bundle.bundle_id, bundle.stored_root});
    if (pending_.size() >= kBundleBatch) {
      flush();
    }
  }

  void end_tenant() override {
    const std::string computed = format_digest(hasher_.algorithm_id(), tenant_tree_->root());
    const auto bundles = static_cast<std::int64_t>(tenant_tree_->size());
    total_bundles_ += bundles;
    total_artifacts_ += tenant_artifacts_;
    const auto stored = stored_tenants_.find(tenant_id_);
    if (stored == stored_tenants_.end()) {
      collector_.add({"", integrity_check_name::kTenantRoot, "", tenant_id_, "", "", 0,
                      "no stored root", computed,
                      "tenant " + tenant_id_ + " has no stored root; its " +
                          std::to_string(bundles) + " bundles are covered by no root"});
    } else {
      const StoredTenantRoot& root = stored->second;
      if (root.root != computed) {
        collector_.add({"", integrity_check_name::kTenantRoot, "", tenant_id_, "", "", 0, root.root,
                        computed,
                        "the stored root of tenant " + tenant_id_ +
                            " does not match the root over its stored bundle roots"});
      }
      if (root.bundle_count != bundles || root.artifact_count != tenant_artifacts_) {
        collector_.add({"", integrity_check_name::kTenantCounts, "", tenant_id_, "", "", 0,
                        std::to_string(root.bundle_count) + " bundles, " +
                            std::to_string(root.artifact_count) + " artifacts",
                        std::to_string(bundles) + " bundles, " + std::to_string(tenant_artifacts_) +
                            " artifacts",
                        "the stored root of tenant " + tenant_id_ +
                            " was computed over other counts than the store holds"});
      }
      // The global root commits to the tenant roots as stored.
      global_.add_leaf_hash(tenant_leaf_hash(hasher_, tenant_id_, root.root));
      stored_tenants_.erase(stored);
    }
    collector_.count_checked(1);
  }

  /// After the walk: the last batch, tenant roots of tenants the walk did not meet, the global
  /// root.
  void finish(const StoredRoots& stored) {
    flush();
    for (const auto& [tenant, root] : stored_tenants_) {
      collector_.add({"", integrity_check_name::kTenantRoot, "", tenant, "", "", 0, root.root,
                      "no tenant",
                      "a root is stored for tenant " + tenant + ", which the store does not hold"});
    }
    const std::string computed = format_digest(hasher_.algorithm_id(), global_.root());
    if (!stored.global) {
      collector_.add({"", integrity_check_name::kGlobalRoot, "", "", "", "", 0,
                      "no stored global root", computed, "the store holds no global root"});
      return;
    }
    if (stored.global->root != computed) {
      collector_.add({"", integrity_check_name::kGlobalRoot, "", "", "", "", 0, stored.global->root,
                      computed,
                      "the stored global root does not match the root over the stored tenant "
                      "roots"});
    }
    const auto tenants = static_cast<std::int64_t>(global_.size());
    if (stored.global->tenant_count != tenants || stored.global->bundle_count != total_bundles_ ||
        stored.global->artifact_count != total_artifacts_) {
      collector_.add(
          {"", integrity_check_name::kGlobalCounts, "", "", "", "", 0,
           std::to_string(stored.global->tenant_count) + " tenants, " +
               std::to_string(stored.global->bundle_count) + " bundles, " +
               std::to_string(stored.global->artifact_count) + " artifacts",
           std::to_string(tenants) + " tenants, " + std::to_string(total_bundles_) + " bundles, " +
               std::to_string(total_artifacts_) + " artifacts",
           "the stored global root was computed over other counts than the store holds"});
    }
  }

 private:
  struct PendingBundle {
    std::string tenant;
    std::string bundle;
    std::string stored_root;
  };

  void flush() {
    if (pending_.empty()) {
      return;
    }
    std::vector<std::string> ids;
    ids.reserve(pending_.size());
    for (const PendingBundle& bundle : pending_) {
      ids.push_back(bundle.bundle);
    }
    const std::vector<StoredBundle> found = layout_.find_bundles(lookup_, ids);
    std::map<std::string, const StoredBundle*, std::less<>> by_id;
    for (const StoredBundle& bundle : found) {
      by_id.emplace(bundle.bundle.bundle_id, &bundle);
    }
    for (const PendingBundle& bundle : pending_) {
      MerkleRootBuilder tree(hasher_);
      const auto stored = by_id.find(bundle.bundle);
      if (stored != by_id.end()) {
        for (const StoredArtifactRef& artifact : stored->second->artifacts) {
          tree.add_leaf_hash(artifact_leaf_hash(hasher_, artifact.path, artifact.digest));
        }
      }
      const std::string computed = format_digest(hasher_.algorithm_id(), tree.root());
      if (computed != bundle.stored_root) {
        collector_.add({"", integrity_check_name::kBundleRoot, "", bundle.tenant, bundle.bundle, "",
                        0, bundle.stored_root, computed,
                        "the stored root of bundle " + bundle.bundle +
                            " does not match the root over its stored artifact digests"});
      }
    }
    collector_.count_checked(static_cast<std::int64_t>(pending_.size()));
    pending_.clear();
  }

  const StoreLayout& layout_;
  PgConnection& lookup_;
  const TreeHasher& hasher_;
  IntegrityCollector& collector_;
  std::map<std::string, StoredTenantRoot, std::less<>> stored_tenants_;
  std::vector<PendingBundle> pending_;
  MerkleRootBuilder global_;
  std::optional<MerkleRootBuilder> tenant_tree_;
  std::string tenant_id_;
  std::int64_t tenant_artifacts_ = 0;
  std::int64_t total_bundles_ = 0;
  std::int64_t total_artifacts_ = 0;
};

}  // namespace

void check_stored_roots(const std::string& conninfo, PluginRegistry& registry,
                        IntegrityCollector& collector) {
  auto walker = PgConnection::connect(conninfo);
  auto lookup = PgConnection::connect(conninfo);
  walker->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const std::string snapshot(walker->exec("SELECT pg_export_snapshot()").get(0, 0));
  lookup->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (snapshot.find_first_not_of(kSnapshotIdCharacters) != std::string::npos) {
    throw sdk::Error(sdk::ErrorCode::internal, "unexpected snapshot id '" + snapshot + "'");
  }
  // A snapshot id cannot be a statement parameter; it is checked to be hex digits and dashes.
  lookup->exec("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
  const auto layout = open_store_layout(*lookup);
  const StoredRoots stored = layout->stored_roots(*lookup);
  const OwnedHasher hasher = verifying_hasher(registry, stored.algorithm);
  // The walk's findings are kept aside until it finishes: a walk cut short leaves tenants half
  // visited, whose "problems" would only be artefacts of the interruption.
  IntegrityReport walk_findings;
  IntegrityCollector walk_collector(walk_findings);
  walk_collector.begin_area(integrity_area::kRoots, "");
  RootsWalk walk(*layout, *lookup, hasher.hasher(), stored, walk_collector);
  try {
    layout->stream_bundle_roots(*walker, walk);
    walk.finish(stored);
  } catch (const sdk::Error& error) {
    if (error.code() != sdk::ErrorCode::internal) {
      throw;
    }
    collector.add({"", integrity_check_name::kUnreadable, "", "", "", "", 0,
                   "bundles that each belong to a stored tenant", error.what(),
                   std::string("the roots walk could not finish: ") + error.what() +
                       "; run `stella evidence orphans --list`"});
    return;
  }
  collector.count_checked(walk_findings.areas.front().checked);
  for (IntegrityProblem& problem : walk_findings.problems) {
    collector.add(std::move(problem));
  }
  walker->exec("COMMIT");
  lookup->exec("COMMIT");
}

}  // namespace stella::host
