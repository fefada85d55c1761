// Folding stored bundle roots of two generations into tenant and global roots in one walk.
#include "reindex/generation_roots.hpp"

#include <map>
#include <optional>

#include "reindex/copy_text.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Bundles fetched per round trip.
constexpr int kBundleFetchRows = 10000;

/// One tenant's trees in both generations.
struct TenantTrees {
  TenantTrees(const TreeHasher& old_hasher, const TreeHasher& new_hasher)
      : old_tree(old_hasher), new_tree(new_hasher) {}
  MerkleRootBuilder old_tree;
  MerkleRootBuilder new_tree;
};

class RootFolder {
 public:
  RootFolder(GenerationHasher old_side, GenerationHasher new_side,
             std::vector<std::string> tenant_ids, std::map<std::string, std::int64_t> artifacts)
      : old_(old_side),
        new_(new_side),
        tenant_ids_(std::move(tenant_ids)),
        artifacts_(std::move(artifacts)),
        old_global_(*old_side.hasher),
        new_global_(*new_side.hasher) {}

  void bundle(std::string_view tenant_id, std::string_view bundle_id,
              std::optional<std::string_view> old_root, std::optional<std::string_view> new_root) {
    open_tenant(tenant_id);
    if (!old_root || !new_root) {
      const int missing = old_root ? new_.generation : old_.generation;
      throw sdk::Error(sdk::ErrorCode::refused,
                       "bundle " + std::string(bundle_id) + " of tenant " + std::string(tenant_id) +
                           " has no stored root in generation " + std::to_string(missing) +
                           "; every bundle needs one in both",
                       "run `stella evidence reindex` again (it covers what is missing), then "
                       "`stella evidence verify-all`");
    }
    trees_->old_tree.add_leaf_hash(bundle_leaf_hash(*old_.hasher, bundle_id, *old_root));
    trees_->new_tree.add_leaf_hash(bundle_leaf_hash(*new_.hasher, bundle_id, *new_root));
    ++result_.bundles;
  }

  GenerationRootPair finish() {
    close_tenant();
    while (next_tenant_ < tenant_ids_.size()) {
      open_next_tenant();
      close_tenant();
    }
    result_.old_global_root = format_digest(old_.hasher->algorithm_id(), old_global_.root());
    result_.new_global_root = format_digest(new_.hasher->algorithm_id(), new_global_.root());
    return std::move(result_);
  }

 private:
  void open_tenant(std::string_view tenant_id) {
    while (!trees_ || current_tenant_ != tenant_id) {
      close_tenant();
      if (next_tenant_ >= tenant_ids_.size()) {
        throw sdk::Error(sdk::ErrorCode::internal,
                         "a bundle names tenant " + std::string(tenant_id) +
                             ", which the tenant list does not hold (or not in this order)");
      }
      open_next_tenant();
    }
  }

  void open_next_tenant() {
    current_tenant_ = tenant_ids_[next_tenant_++];
    trees_.emplace(*old_.hasher, *new_.hasher);
  }

  void close_tenant() {
    if (!trees_) {
      return;
    }
    TenantRootPair pair;
    pair.tenant_id = current_tenant_;
    pair.old_root = format_digest(old_.hasher->algorithm_id(), trees_->old_tree.root());
    pair.new_root = format_digest(new_.hasher->algorithm_id(), trees_->new_tree.root());
    pair.bundles = static_cast<std::int64_t>(trees_->old_tree.size());
    const auto counted = artifacts_.find(current_tenant_);
    pair.artifacts = counted == artifacts_.end() ? 0 : counted->second;
    result_.artifacts += pair.artifacts;
    old_global_.add_leaf_hash(tenant_leaf_hash(*old_.hasher, pair.tenant_id, pair.old_root));
    new_global_.add_leaf_hash(tenant_leaf_hash(*new_.hasher, pair.tenant_id, pair.new_root));
    result_.tenants.push_back(std::move(pair));
    trees_.reset();
  }

  GenerationHasher old_;
  GenerationHasher new_;
  std::vector<std::string> tenant_ids_;
  std::map<std::string, std::int64_t> artifacts_;
  std::size_t next_tenant_ = 0;
  std::string current_tenant_;
  std::optional<TenantTrees> trees_;
  MerkleRootBuilder old_global_;
  MerkleRootBuilder new_global_;
  GenerationRootPair result_;
};

std::optional<std::string_view> optional_field(const PgResult& rows, int row, int column) {
  if (rows.is_null(row, column)) {
    return std::nullopt;
  }
  return rows.get(row, column);
}

}  // namespace

GenerationRootPair compute_generation_roots(PgConnection& connection, GenerationHasher old_side,
                                            GenerationHasher new_side,
                                            const std::optional<std::string>& bundle_links_table) {
  std::vector<std::string> tenant_ids;
  const PgResult tenants =
      connection.exec("SELECT tenant_id FROM evidence.tenants ORDER BY tenant_id");
  for (int r = 0; r < tenants.rows(); ++r) {
    tenant_ids.emplace_back(tenants.get(r, 0));
  }
  std::map<std::string, std::int64_t> artifacts;
  const PgResult counts =
      connection.exec("SELECT tenant_id, count(*) FROM evidence.artifacts GROUP BY tenant_id");
  for (int r = 0; r < counts.rows(); ++r) {
    artifacts.emplace(std::string(counts.get(r, 0)), counts.get_int64(r, 1));
  }
  RootFolder folder(old_side, new_side, std::move(tenant_ids), std::move(artifacts));
  connection.exec(
      "DECLARE reindex_roots NO SCROLL CURSOR FOR "
      "SELECT b.tenant_id, b.bundle_id, "
      "  (SELECT o.root FROM evidence.bundle_roots o "
      "   WHERE o.generation = $1::integer AND o.bundle_id = b.bundle_id), "
      "  (SELECT n.root FROM evidence.bundle_roots n "
      "   WHERE n.generation = $2::integer AND n.bundle_id = b.bundle_id) "
      "FROM evidence.bundles b ORDER BY b.tenant_id, b.sealed_at, b.bundle_id",
      {std::to_string(old_side.generation), std::to_string(new_side.generation)});
  const std::string fetch_sql =
      "FETCH FORWARD " + std::to_string(kBundleFetchRows) + " FROM reindex_roots";
  while (true) {
    const PgResult rows = connection.exec(fetch_sql);
    std::string links;
    for (int r = 0; r < rows.rows(); ++r) {
      folder.bundle(rows.get(r, 0), rows.get(r, 1), optional_field(rows, r, 2),
                    optional_field(rows, r, 3));
      if (bundle_links_table) {
        append_copy_field(links, rows.get(r, 1), true);
        append_copy_field(links, rows.get(r, 2), false);
        append_copy_field(links, rows.get(r, 3), false);
        end_copy_row(links);
      }
    }
    if (!links.empty()) {
      // The table name is a constant of the caller's, never operator input.
      connection.copy_in_start("COPY " + *bundle_links_table +
                               " (bundle_id, old_root, new_root) FROM STDIN");
      connection.copy_in_put(links);
      connection.copy_in_finish();
    }
    if (rows.rows() < kBundleFetchRows) {
      break;
    }
  }
  connection.exec("CLOSE reindex_roots");
  return folder.finish();
}

}  // namespace stella::host
