// Tenant roots over stored bundle roots, and the global root over the tenant roots.
#include "stella/host/evidence/store_roots.hpp"

#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/host/reindex/live_generations.hpp"

namespace stella::host {
namespace {

class RootComputer final : public EvidenceVisitor {
 public:
  explicit RootComputer(const TreeHasher& hasher) : hasher_(hasher), global_(hasher) {}

  void begin_tenant(const TenantEntry& tenant) override {
    tenant_id_ = tenant.tenant_id;
    tenant_tree_.emplace(hasher_);
    tenant_artifacts_ = 0;
  }

  void begin_bundle(const BundleEntry& bundle) override {
    tenant_tree_->add_leaf_hash(bundle_leaf_hash(hasher_, bundle.bundle_id, bundle.stored_root));
    tenant_artifacts_ += bundle.artifact_count;
  }

  void end_tenant() override {
    const std::string root = format_digest(hasher_.algorithm_id(), tenant_tree_->root());
    global_.add_leaf_hash(tenant_leaf_hash(hasher_, tenant_id_, root));
    const auto bundles = static_cast<std::int64_t>(tenant_tree_->size());
    roots_.tenants.push_back(StoredTenantRoot{tenant_id_, root, bundles, tenant_artifacts_, {}});
    roots_.bundle_count += bundles;
    roots_.artifact_count += tenant_artifacts_;
  }

  ComputedRoots finish() {
    roots_.algorithm = hasher_.algorithm_id();
    roots_.global_root = format_digest(hasher_.algorithm_id(), global_.root());
    return std::move(roots_);
  }

 private:
  const TreeHasher& hasher_;
  MerkleRootBuilder global_;
  std::optional<MerkleRootBuilder> tenant_tree_;
  std::string tenant_id_;
  std::int64_t tenant_artifacts_ = 0;
  ComputedRoots roots_;
};

}  // namespace

ComputedRoots compute_roots(PgConnection& connection, const StoreLayout& layout,
                            const TreeHasher& hasher) {
  RootComputer computer(hasher);
  layout.stream_bundle_roots(connection, computer);
  return computer.finish();
}

ComputedRoots recompute_stored_roots(PgConnection& connection, const StoreLayout& layout,
                                     const TreeHasher& hasher) {
  if (layout.generations(connection).size() > 1) {
    // After a reindex: every sealed generation (the active one and earlier ones) gets the new
    // bundles' digests and current roots, each with its own algorithm (docs/reindex.md).
    return refresh_sealed_generations(connection, layout);
  }
  ComputedRoots roots = compute_roots(connection, layout, hasher);
  layout.write_roots(connection, roots);
  return roots;
}

void store_generation_roots(PgConnection& connection, int generation, const ComputedRoots& roots) {
  const std::string number = std::to_string(generation);
  connection.exec("DELETE FROM evidence.tenant_roots WHERE generation = $1", {number});
  for (const StoredTenantRoot& tenant : roots.tenants) {
    connection.exec(
        "INSERT INTO evidence.tenant_roots (tenant_id, generation, root, bundle_count, "
        "artifact_count, computed_at) VALUES ($1, $2, $3, $4, $5, now())",
        {tenant.tenant_id, number, tenant.root, std::to_string(tenant.bundle_count),
         std::to_string(tenant.artifact_count)});
  }
  connection.exec(
      "INSERT INTO evidence.global_roots (generation, root, tenant_count, bundle_count, "
      "artifact_count, computed_at) VALUES ($1, $2, $3, $4, $5, now()) "
      "ON CONFLICT (generation) DO UPDATE SET root = EXCLUDED.root, "
      "tenant_count = EXCLUDED.tenant_count, bundle_count = EXCLUDED.bundle_count, "
      "artifact_count = EXCLUDED.artifact_count, computed_at = EXCLUDED.computed_at",
      {number, roots.global_root, std::to_string(roots.tenants.size()),
       std::to_string(roots.bundle_count), std::to_string(roots.artifact_count)});
}

}  // namespace stella::host
