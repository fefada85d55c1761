// The continuity checks, in one pass over the store in Merkle order.
#include "stella/host/continuity/continuity_checker.hpp"

#include <optional>
#include <string_view>
#include <vector>

#include "continuity/transition_lookup.hpp"
#include "reindex/iso_utc_sql.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/host/reindex/algorithm_hashers.hpp"
#include "stella/host/reindex/store_generations.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Rows fetched per round trip: each carries one artifact's bytes, so a chunk stays small.
constexpr int kWalkFetchRows = 256;

/// Planner settings (local to the walk's transaction) that make the walk stream in index order: a
/// hash join and a sort would first sort every byte of the store.
constexpr const char* kStreamingPlanSettings[] = {
    "SET LOCAL enable_hashjoin = off", "SET LOCAL enable_mergejoin = off",
    "SET LOCAL enable_sort = off", "SET LOCAL max_parallel_workers_per_gather = 0"};

// Columns of the walk below.
enum WalkColumn : int {
  kTenant = 0,
  kBundle = 1,
  kCrossOld = 2,
  kCrossNew = 3,
  kStoredOld = 4,
  kStoredNew = 5,
  kPath = 6,
  kContent = 7,
  kDigestOld = 8,
  kDigestNew = 9,
  kSealedBefore = 10,
  kSealedAt = 11,
};

constexpr const char* kWalkFromSql =
    " FROM evidence.bundles b "
    "LEFT JOIN LATERAL (SELECT r.old_root, r.new_root FROM evidence.root_cross_references r "
    "  WHERE r.transition_id = $1::bigint AND r.scope = 'bundle' AND r.scope_id = b.bundle_id "
    "  OFFSET 0) x ON true "
    "LEFT JOIN LATERAL (SELECT r.root FROM evidence.bundle_roots r "
    "  WHERE r.generation = $2::integer AND r.bundle_id = b.bundle_id OFFSET 0) so ON true "
    "LEFT JOIN LATERAL (SELECT r.root FROM evidence.bundle_roots r "
    "  WHERE r.generation = $3::integer AND r.bundle_id = b.bundle_id OFFSET 0) sn ON true "
    "LEFT JOIN evidence.artifacts a ON a.bundle_id = b.bundle_id "
    "LEFT JOIN evidence.contents c ON c.content_address = a.content_address "
    "LEFT JOIN LATERAL (SELECT d.digest FROM evidence.artifact_digests d "
    "  WHERE d.generation = $2::integer AND d.bundle_id = a.bundle_id AND d.path = a.path "
    "  OFFSET 0) d_old ON true "
    "LEFT JOIN LATERAL (SELECT d.digest FROM evidence.artifact_digests d "
    "  WHERE d.generation = $3::integer AND d.bundle_id = a.bundle_id AND d.path = a.path "
    "  OFFSET 0) d_new ON true "
    "ORDER BY b.tenant_id, b.sealed_at, b.bundle_id, a.path";

/// Every bundle with its artifacts, in Merkle order, with both generations' digests and roots,
/// the transition's cross-reference, and whether the bundle was sealed at or before the transition
/// was recorded ('t', else NULL; text, as the cursor is read in binary). $1 transition (0: none),
/// $2 old generation, $3 new generation. Each look-up by generation is a primary-key probe per row
/// ("OFFSET 0" keeps it one): a join the planner builds from stale statistics could scan a whole
/// generation per row.
std::string walk_sql() {
  return "DECLARE continuity_walk NO SCROLL CURSOR FOR "
         "SELECT b.tenant_id, b.bundle_id, x.old_root, x.new_root, so.root, sn.root, "
         "       a.path, c.content, d_old.digest, d_new.digest, "
         "       CASE WHEN b.sealed_at <= (SELECT t.recorded_at FROM evidence.root_transitions t "
         "         WHERE t.transition_id = $1::bigint) THEN 't'::text END, " +
         iso_utc_sql("b.sealed_at") + kWalkFromSql;
}

std::optional<std::string_view> optional_field(const PgResult& rows, int row, int column) {
  if (rows.is_null(row, column)) {
    return std::nullopt;
  }
  return rows.get(row, column);
}

/// What the walk compares: two generations, and the transition between them or none (the roots
/// given are equal: every bundle stored is in scope, and no cross-reference is expected).
struct WalkScope {
  int from_generation = 0;
  int to_generation = 0;
  /// 0 when there is no transition.
  std::int64_t transition_id = 0;
  std::string recorded_at;
  bool every_bundle() const { return transition_id == 0; }
  bool one_generation() const { return from_generation == to_generation; }
};

/// A tenant of the walk: in the store, in the transition, or both; with its stored roots.
struct TenantRow {
  std::string tenant_id;
  std::optional<std::string> cross_old;
  std::optional<std::string> cross_new;
  std::optional<std::string> stored_old;
  std::optional<std::string> stored_new;
  bool in_store = false;
};

std::vector<TenantRow> read_tenants(PgConnection& connection, const WalkScope& scope) {
  const PgResult rows = connection.exec(
      "SELECT coalesce(t.tenant_id, x.scope_id), x.old_root, x.new_root, "
      "  t.tenant_id IS NOT NULL, so.root, sn.root "
      "FROM evidence.tenants t FULL JOIN (SELECT scope_id, old_root, new_root "
      "  FROM evidence.root_cross_references WHERE transition_id = $1 AND scope = 'tenant') x "
      "ON x.scope_id = t.tenant_id "
      "LEFT JOIN evidence.tenant_roots so ON so.tenant_id = t.tenant_id AND so.generation = $2 "
      "LEFT JOIN evidence.tenant_roots sn ON sn.tenant_id = t.tenant_id AND sn.generation = $3 "
      "ORDER BY 1",
      {std::to_string(scope.transition_id), std::to_string(scope.from_generation),
       std::to_string(scope.to_generation)});
  std::vector<TenantRow> tenants;
  for (int r = 0; r < rows.rows(); ++r) {
    TenantRow row;
    row.tenant_id = rows.get(r, 0);
    row.cross_old = rows.get_optional(r, 1);
    row.cross_new = rows.get_optional(r, 2);
    row.in_store = rows.get(r, 3) == "t";
    row.stored_old = rows.get_optional(r, 4);
    row.stored_new = rows.get_optional(r, 5);
    tenants.push_back(std::move(row));
  }
  return tenants;
}

/// A generation's stored global root (evidence.global_roots); nullopt when none is stored.
std::optional<std::string> stored_global_root(PgConnection& connection, int generation) {
  const PgResult rows = connection.exec(
      "SELECT root FROM evidence.global_roots WHERE generation = $1", {std::to_string(generation)});
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  return std::string(rows.get(0, 0));
}

/// A pair of trees, one per generation.
struct TreePair {
  TreePair(const TreeHasher& old_hasher, const TreeHasher& new_hasher)
      : old_tree(old_hasher), new_tree(new_hasher) {}
  MerkleRootBuilder old_tree;
  MerkleRootBuilder new_tree;
};

/// One bundle being read: its trees in both generations and what was stored and recorded.
struct BundleState {
  std::string bundle_id;
  std::optional<std::string> cross_old;
  std::optional<std::string> cross_new;
  std::optional<std::string> stored_old;
  std::optional<std::string> stored_new;
  /// Sealed at or before the transition was recorded.
  bool sealed_before = false;
  std::string sealed_at;
  /// In the transition's roots: cross-referenced, or every bundle when there is no transition.
  bool in_scope = false;
  TreePair trees;
  BundleState(const TreeHasher& old_hasher, const TreeHasher& new_hasher)
      : trees(old_hasher, new_hasher) {}
  /// Not cross-referenced although sealed before the transition: either added later with an
  /// earlier seal time (an import of older evidence), or its cross-reference was removed. The
  /// tenant's cross-referenced roots tell which (see close_tenant).
  bool unreferenced_before() const { return !in_scope && sealed_before; }
};

/// One tenant being read: its trees over the transition's bundles, over those and the bundles
/// sealed before the transition without a cross-reference, and over every bundle it holds now.
struct TenantTrees {
  TenantTrees(const TreeHasher& old_hasher, const TreeHasher& new_hasher)
      : in_scope(old_hasher, new_hasher),
        with_unreferenced(old_hasher, new_hasher),
        now(old_hasher, new_hasher) {}
  TreePair in_scope;
  TreePair with_unreferenced;
  TreePair now;
  std::int64_t unreferenced_bundles = 0;
  std::int64_t unreferenced_artifacts = 0;
};

/// Drives the checks over the walk, section by section.
class ContinuityWalk {
 public:
  ContinuityWalk(PgConnection& connection, ContinuityReport& report, WalkScope scope,
                 const TreeHasher& old_hasher, const TreeHasher& new_hasher,
                 std::vector<TenantRow> tenants)
      : connection_(connection),
        report_(report),
        scope_(std::move(scope)),
        old_hasher_(old_hasher),
        new_hasher_(new_hasher),
        tenants_(std::move(tenants)),
        global_(old_hasher, new_hasher),
        global_now_(old_hasher, new_hasher) {}

  void row(const PgResult& rows, int r) {
    open_tenant(rows.get(r, kTenant));
    const std::string_view bundle_id = rows.get(r, kBundle);
    if (!bundle_ || bundle_->bundle_id != bundle_id) {
      close_bundle();
      bundle_.emplace(old_hasher_, new_hasher_);
      bundle_->bundle_id = bundle_id;
      bundle_->cross_old = optional_string(rows, r, kCrossOld);
      bundle_->cross_new = optional_string(rows, r, kCrossNew);
      bundle_->stored_old = optional_string(rows, r, kStoredOld);
      bundle_->stored_new = optional_string(rows, r, kStoredNew);
      bundle_->sealed_before = !rows.is_null(r, kSealedBefore) && rows.get(r, kSealedBefore) == "t";
      bundle_->sealed_at = rows.get(r, kSealedAt);
      bundle_->in_scope = scope_.every_bundle() || bundle_->cross_old.has_value();
    }
    if (rows.is_null(r, kPath)) {
      return;  // a bundle without artifacts
    }
    artifact(rows.get(r, kPath), optional_field(rows, r, kContent),
             optional_field(rows, r, kDigestOld), optional_field(rows, r, kDigestNew));
  }

  /// Closes the walk: remaining tenants, then the global roots.
  void finish(const std::optional<std::string>& stored_old,
              const std::optional<std::string>& stored_new) {
    close_tenant();
    while (next_tenant_ < tenants_.size()) {
      begin_tenant(next_tenant_++);
      close_tenant();
    }
    ContinuitySection& store = report_.sections.front();
    const std::string old_global =
        format_digest(old_hasher_.algorithm_id(), global_.old_tree.root());
    const std::string new_global =
        format_digest(new_hasher_.algorithm_id(), global_.new_tree.root());
    store.old_root_recomputed = old_global;
    store.new_root_recomputed = new_global;
    compare(store, ContinuityCheck::old_root, "", "", "", report_.old_root_given, old_global,
            "the old global root given does not recompute from the old digests");
    if (report_.transition) {
      compare(store, ContinuityCheck::old_root, "", "", "", report_.transition->old_global_root,
              old_global,
              "the transition's recorded old global root does not recompute from the old digests");
    }
    compare(store, ContinuityCheck::new_root, "", "", "", report_.new_root_given, new_global,
            "the new global root given does not recompute from the new digests");
    if (report_.transition) {
      compare(store, ContinuityCheck::new_root, "", "", "", report_.transition->new_global_root,
              new_global,
              "the transition's recorded new global root does not recompute from the new digests");
    }
    const std::string old_now =
        format_digest(old_hasher_.algorithm_id(), global_now_.old_tree.root());
    const std::string new_now =
        format_digest(new_hasher_.algorithm_id(), global_now_.new_tree.root());
    store.old_root_stored = stored_old.value_or("");
    store.old_root_now = old_now;
    store.new_root_stored = stored_new.value_or("");
    store.new_root_now = new_now;
    compare_stored(store, ContinuityCheck::old_root, "global", scope_.from_generation, stored_old,
                   old_now);
    if (!scope_.one_generation()) {
      compare_stored(store, ContinuityCheck::new_root, "global", scope_.to_generation, stored_new,
                     new_now);
    }
  }

 private:
  static std::optional<std::string> optional_string(const PgResult& rows, int r, int column) {
    return rows.get_optional(r, column);
  }

  ContinuitySection& section() { return report_.sections.back(); }

  void add_finding(ContinuitySection& target, ContinuityCheck check, std::string_view bundle,
                   std::string_view path, std::string expected, std::string found,
                   std::string message) {
    ContinuityFinding finding;
    finding.check = check;
    finding.tenant = target.tenant;
    finding.bundle = bundle;
    finding.path = path;
    finding.expected = std::move(expected);
    finding.found = std::move(found);
    finding.message = std::move(message);
    report_.spool_of(target).append(finding);
    ++target.finding_count;
    ++target.tally(check).failed;
  }

  /// Counts one check of `expected` against `found`; a mismatch becomes a finding.
  void compare(ContinuitySection& target, ContinuityCheck check, std::string_view bundle,
               std::string_view path, std::string_view what,
               const std::optional<std::string>& expected, const std::string& found,
               const std::string& message) {
    ++target.tally(check).checked;
    if (!expected) {
      add_finding(target, check, bundle, path, "(" + std::string(what) + ")", found, message);
    } else if (*expected != found) {
      add_finding(target, check, bundle, path, *expected, found, message);
    }
  }
  void compare(ContinuitySection& target, ContinuityCheck check, std::string_view bundle,
               std::string_view path, std::string_view what, const std::string& expected,
               const std::string& found, const std::string& message) {
    compare(target, check, bundle, path, what, std::optional<std::string>(expected), found,
            message);
  }

  /// A stored tenant or global root — what roots-export shows and proofs are checked against —
  /// against the root recomputed over every record the store holds now.
  void compare_stored(ContinuitySection& target, ContinuityCheck check, const char* level,
                      int generation, const std::optional<std::string>& stored,
                      const std::string& recomputed) {
    ++target.tally(check).checked;
    const bool global = std::string_view(level) == "global";
    const std::string which =
        (global ? std::string("the stored global root") : std::string("the tenant's stored root")) +
        " of generation " + std::to_string(generation) + " (the " +
        (check == ContinuityCheck::old_root ? "old" : "new") + " generation";
    if (!stored) {
      add_finding(target, check, "", "", "a stored root", "none",
                  which + ") is missing; recomputed from the stored digests it would be " +
                      recomputed + "; run `stella evidence verify-all --generation " +
                      std::to_string(generation) + "`");
    } else if (*stored != recomputed) {
      add_finding(target, check, "", "", *stored, recomputed,
                  which +
                      "; what roots-export shows) does not recompute from the stored digests "
                      "of every record it covers (expected: stored; found: recomputed); run "
                      "`stella evidence verify-all --generation " +
                      std::to_string(generation) + "`");
    }
  }

  void open_tenant(std::string_view tenant_id) {
    while (!tenant_open_ || current_tenant().tenant_id != tenant_id) {
      close_tenant();
      if (next_tenant_ >= tenants_.size()) {
        throw sdk::Error(sdk::ErrorCode::internal,
                         "the walk met tenant " + std::string(tenant_id) +
                             ", which the tenant list does not hold (or not in this order)");
      }
      begin_tenant(next_tenant_++);
    }
  }

  const TenantRow& current_tenant() const { return tenants_[tenant_index_]; }

  void begin_tenant(std::size_t index) {
    tenant_index_ = index;
    tenant_open_ = true;
    ContinuitySection section;
    section.tenant = tenants_[index].tenant_id;
    section.first_finding = report_.tenant_findings.size();
    report_.sections.push_back(std::move(section));
    tenant_.emplace(old_hasher_, new_hasher_);
  }

  std::string old_root_of(const TreePair& trees) const {
    return format_digest(old_hasher_.algorithm_id(), trees.old_tree.root());
  }
  std::string new_root_of(const TreePair& trees) const {
    return format_digest(new_hasher_.algorithm_id(), trees.new_tree.root());
  }

  /// Names every bundle of the tenant sealed before the transition that it does not
  /// cross-reference. Read back from the store (in the walk's snapshot) only when there is
  /// something to name, so the walk keeps no list of bundles.
  void name_unreferenced_bundles(ContinuitySection& target, bool roots_match_with_them) {
    const PgResult rows = connection_.exec(
        "SELECT b.bundle_id, " + iso_utc_sql("b.sealed_at") +
            " FROM evidence.bundles b WHERE b.tenant_id = $1 AND b.sealed_at <= "
            "(SELECT t.recorded_at FROM evidence.root_transitions t WHERE t.transition_id = $2) "
            "AND NOT EXISTS (SELECT 1 FROM evidence.root_cross_references x "
            "  WHERE x.transition_id = $2 AND x.scope = 'bundle' AND x.scope_id = b.bundle_id) "
            "ORDER BY b.sealed_at, b.bundle_id",
        {target.tenant, std::to_string(scope_.transition_id)});
    for (int r = 0; r < rows.rows(); ++r) {
      ++target.tally(ContinuityCheck::transition).checked;
      add_finding(target, ContinuityCheck::transition, rows.get(r, 0), "",
                  "a bundle cross-reference of transition " + std::to_string(scope_.transition_id) +
                      " (the bundle was sealed at " + std::string(rows.get(r, 1)) +
                      ", the transition recorded at " + scope_.recorded_at + ")",
                  "no cross-reference",
                  std::string("no cross-reference recorded for a bundle sealed before the "
                              "transition") +
                      (roots_match_with_them
                           ? ": the tenant's recorded roots recompute only with it, so it was part "
                             "of the transition and its cross-reference was removed"
                           : ": the tenant's recorded roots recompute neither with nor without "
                             "it"));
    }
  }

  void close_tenant() {
    close_bundle();
    if (!tenant_open_) {
      return;
    }
    tenant_open_ = false;
    const TenantRow& tenant = current_tenant();
    ContinuitySection& target = section();
    TenantTrees& trees = *tenant_;
    std::string old_root = old_root_of(trees.in_scope);
    std::string new_root = new_root_of(trees.in_scope);
    const bool in_transition = scope_.every_bundle() || tenant.cross_old.has_value();
    target.in_transition = in_transition;
    if (trees.unreferenced_bundles > 0) {
      const bool match_without = tenant.cross_old == old_root && tenant.cross_new == new_root;
      const std::string old_with = old_root_of(trees.with_unreferenced);
      const std::string new_with = new_root_of(trees.with_unreferenced);
      const bool match_with = tenant.cross_old == old_with && tenant.cross_new == new_with;
      if (!tenant.cross_old || match_without) {
        // Added after the transition with an earlier seal time (older evidence imported later):
        // the transition's roots for the tenant recompute without them.
        target.bundles_outside += trees.unreferenced_bundles;
        target.artifacts_outside += trees.unreferenced_artifacts;
      } else {
        name_unreferenced_bundles(target, match_with);
        if (match_with) {
          // They belong to the transition: recompute its roots with them, so that the missing
          // cross-references are named once instead of as every root above them.
          old_root = old_with;
          new_root = new_with;
          target.bundles += trees.unreferenced_bundles;
          target.artifacts += trees.unreferenced_artifacts;
        } else {
          target.bundles_outside += trees.unreferenced_bundles;
          target.artifacts_outside += trees.unreferenced_artifacts;
        }
      }
    }
    target.old_root_recomputed = old_root;
    target.new_root_recomputed = new_root;
    if (tenant.in_store) {
      const std::string old_now = old_root_of(trees.now);
      const std::string new_now = new_root_of(trees.now);
      target.old_root_stored = tenant.stored_old.value_or("");
      target.new_root_stored = tenant.stored_new.value_or("");
      target.old_root_now = old_now;
      target.new_root_now = new_now;
      compare_stored(target, ContinuityCheck::old_root, "tenant", scope_.from_generation,
                     tenant.stored_old, old_now);
      if (!scope_.one_generation()) {
        compare_stored(target, ContinuityCheck::new_root, "tenant", scope_.to_generation,
                       tenant.stored_new, new_now);
      }
      global_now_.old_tree.add_leaf_hash(tenant_leaf_hash(old_hasher_, tenant.tenant_id, old_now));
      global_now_.new_tree.add_leaf_hash(tenant_leaf_hash(new_hasher_, tenant.tenant_id, new_now));
    }
    if (scope_.every_bundle()) {
      // No transition: the tenant's roots are what is stored, checked just above.
      target.old_root_recorded = tenant.stored_old.value_or("");
      target.new_root_recorded = tenant.stored_new.value_or("");
      global_.old_tree.add_leaf_hash(tenant_leaf_hash(old_hasher_, tenant.tenant_id, old_root));
      global_.new_tree.add_leaf_hash(tenant_leaf_hash(new_hasher_, tenant.tenant_id, new_root));
      return;
    }
    target.old_root_recorded = tenant.cross_old.value_or("");
    target.new_root_recorded = tenant.cross_new.value_or("");
    if (!in_transition) {
      // A tenant the transition does not know: only records added after it, or its cross-
      // reference was removed; the latter shows as a global root mismatch.
      ++target.tally(ContinuityCheck::transition).checked;
      if (target.bundles > 0) {
        add_finding(target, ContinuityCheck::transition, "", "", "a tenant cross-reference", "none",
                    "bundles of the transition belong to this tenant, but the transition has no "
                    "cross-reference for the tenant");
      }
      return;
    }
    if (!tenant.in_store) {
      ++target.tally(ContinuityCheck::coverage).checked;
      add_finding(target, ContinuityCheck::coverage, "", "", "the tenant in evidence.tenants",
                  "no such tenant",
                  "the transition cross-references this tenant, but the store no longer has it");
    }
    compare(target, ContinuityCheck::old_root, "", "", "", tenant.cross_old, old_root,
            "the tenant's old root recorded by the transition does not recompute from the old "
            "digests");
    compare(target, ContinuityCheck::new_root, "", "", "", tenant.cross_new, new_root,
            "the tenant's new root recorded by the transition does not recompute from the new "
            "digests");
    global_.old_tree.add_leaf_hash(tenant_leaf_hash(old_hasher_, tenant.tenant_id, old_root));
    global_.new_tree.add_leaf_hash(tenant_leaf_hash(new_hasher_, tenant.tenant_id, new_root));
  }

  void artifact(std::string_view path, std::optional<std::string_view> content,
                std::optional<std::string_view> digest_old,
                std::optional<std::string_view> digest_new) {
    ContinuitySection& target = section();
    BundleState& bundle = *bundle_;
    if (bundle.in_scope) {
      ++target.artifacts;
    } else if (bundle.unreferenced_before()) {
      ++tenant_->unreferenced_artifacts;
    } else {
      ++target.artifacts_outside;
    }
    ++target.tally(ContinuityCheck::coverage).checked;
    if (!digest_old || !digest_new) {
      const int missing = digest_old ? scope_.to_generation : scope_.from_generation;
      const int present = digest_old ? scope_.from_generation : scope_.to_generation;
      const bool neither = !digest_old && !digest_new;
      add_finding(target, ContinuityCheck::coverage, bundle.bundle_id, path,
                  "a digest in generations " + std::to_string(scope_.from_generation) + " and " +
                      std::to_string(scope_.to_generation),
                  neither ? "no digest in either generation"
                          : "a digest in generation " + std::to_string(present) + " only",
                  neither ? "the artifact has no digest in either generation"
                          : "the artifact has no digest in generation " + std::to_string(missing) +
                                ": the generations do not cover the "
                                "same records");
    }
    check_digest(target, ContinuityCheck::old_digests, old_hasher_, bundle.bundle_id, path, content,
                 digest_old);
    check_digest(target, ContinuityCheck::new_digests, new_hasher_, bundle.bundle_id, path, content,
                 digest_new);
    if (digest_old) {
      bundle.trees.old_tree.add_leaf_hash(artifact_leaf_hash(old_hasher_, path, *digest_old));
    }
    if (digest_new) {
      bundle.trees.new_tree.add_leaf_hash(artifact_leaf_hash(new_hasher_, path, *digest_new));
    }
  }

  void check_digest(ContinuitySection& target, ContinuityCheck check, const TreeHasher& hasher,
                    std::string_view bundle_id, std::string_view path,
                    std::optional<std::string_view> content,
                    std::optional<std::string_view> stored) {
    if (!stored) {
      return;  // counted by coverage
    }
    ++target.tally(check).checked;
    if (!content) {
      add_finding(target, check, bundle_id, path, std::string(*stored), "no stored bytes",
                  "the artifact's content is missing from evidence.contents");
      return;
    }
    const std::string recomputed =
        format_digest(hasher.algorithm_id(),
                      hasher.digest(ByteView(reinterpret_cast<const std::uint8_t*>(content->data()),
                                             content->size())));
    if (recomputed != *stored) {
      add_finding(target, check, bundle_id, path, std::string(*stored), recomputed,
                  "the stored digest does not match the stored bytes (expected: stored; found: "
                  "recomputed from the bytes)");
    }
  }

  void close_bundle() {
    if (!bundle_) {
      return;
    }
    ContinuitySection& target = section();
    BundleState& bundle = *bundle_;
    const std::string old_root = old_root_of(bundle.trees);
    const std::string new_root = new_root_of(bundle.trees);
    ++target.tally(ContinuityCheck::coverage).checked;
    if (!bundle.stored_old || !bundle.stored_new) {
      add_finding(target, ContinuityCheck::coverage, bundle.bundle_id, "",
                  "a stored root in generations " + std::to_string(scope_.from_generation) +
                      " and " + std::to_string(scope_.to_generation),
                  bundle.stored_old
                      ? "a root in generation " + std::to_string(scope_.from_generation) + " only"
                  : bundle.stored_new
                      ? "a root in generation " + std::to_string(scope_.to_generation) + " only"
                      : "no root in either generation",
                  "the bundle is not covered by both generations");
    }
    if (bundle.stored_old) {
      compare(target, ContinuityCheck::old_root, bundle.bundle_id, "", "", *bundle.stored_old,
              old_root,
              "the bundle's stored old root does not recompute from its old digests (expected: "
              "stored; found: recomputed)");
    }
    if (bundle.stored_new) {
      compare(target, ContinuityCheck::new_root, bundle.bundle_id, "", "", *bundle.stored_new,
              new_root,
              "the bundle's stored new root does not recompute from its new digests (expected: "
              "stored; found: recomputed)");
    }
    TenantTrees& trees = *tenant_;
    const auto add_to = [&](TreePair& pair) {
      pair.old_tree.add_leaf_hash(bundle_leaf_hash(old_hasher_, bundle.bundle_id, old_root));
      pair.new_tree.add_leaf_hash(bundle_leaf_hash(new_hasher_, bundle.bundle_id, new_root));
    };
    add_to(trees.now);
    if (bundle.in_scope) {
      ++target.bundles;
      if (!scope_.every_bundle()) {
        compare(target, ContinuityCheck::transition, bundle.bundle_id, "", "", bundle.cross_old,
                old_root,
                "the transition's cross-reference records another old root for this bundle than "
                "its old digests give");
        compare(target, ContinuityCheck::transition, bundle.bundle_id, "", "", bundle.cross_new,
                new_root,
                "the transition's cross-reference records another new root for this bundle than "
                "its new digests give");
      }
      add_to(trees.in_scope);
      add_to(trees.with_unreferenced);
    } else if (bundle.unreferenced_before()) {
      ++trees.unreferenced_bundles;
      add_to(trees.with_unreferenced);
    } else {
      ++target.bundles_outside;
    }
    bundle_.reset();
  }

  PgConnection& connection_;
  ContinuityReport& report_;
  const WalkScope scope_;
  const TreeHasher& old_hasher_;
  const TreeHasher& new_hasher_;
  std::vector<TenantRow> tenants_;
  std::size_t next_tenant_ = 0;
  std::size_t tenant_index_ = 0;
  bool tenant_open_ = false;
  std::optional<BundleState> bundle_;
  std::optional<TenantTrees> tenant_;
  /// Over the transition's tenants and bundles; over every tenant and bundle stored now.
  TreePair global_;
  TreePair global_now_;
};

/// Appends a store-wide finding.
void store_finding(ContinuityReport& report, ContinuityCheck check, std::string bundle,
                   std::string expected, std::string found, std::string message) {
  ContinuitySection& store = report.sections.front();
  ++store.tally(check).failed;
  ++store.finding_count;
  ContinuityFinding item;
  item.check = check;
  item.bundle = std::move(bundle);
  item.expected = std::move(expected);
  item.found = std::move(found);
  item.message = std::move(message);
  report.store_findings.append(item);
}

/// Store-wide checks of the transition record itself.
void check_transition_record(PgConnection& connection, ContinuityReport& report) {
  const TransitionRecord& transition = *report.transition;
  ContinuitySection& store = report.sections.front();
  store.old_root_recorded = transition.old_global_root;
  store.new_root_recorded = transition.new_global_root;
  ++store.tally(ContinuityCheck::transition).checked;
  if (transition.old_global_root != report.old_root_given) {
    store_finding(
        report, ContinuityCheck::transition, "", transition.old_global_root, report.old_root_given,
        "the old root given is not the old root of transition " +
            std::to_string(transition.transition_id) + " (expected: recorded; found: given)");
  }
  ++store.tally(ContinuityCheck::transition).checked;
  if (transition.new_global_root != report.new_root_given) {
    store_finding(
        report, ContinuityCheck::transition, "", transition.new_global_root, report.new_root_given,
        "the new root given is not the new root of transition " +
            std::to_string(transition.transition_id) + " (expected: recorded; found: given)");
  }
  ++store.tally(ContinuityCheck::transition).checked;
  if (const auto audit_problem = transition_audit_problem(connection, transition)) {
    store_finding(report, ContinuityCheck::transition, "", audit_problem->expected,
                  audit_problem->found, audit_problem->message);
  }
  // Bundles the transition cross-references that the store no longer holds.
  const PgResult gone = connection.exec(
      "SELECT x.scope_id, x.old_root FROM evidence.root_cross_references x "
      "WHERE x.transition_id = $1 AND x.scope = 'bundle' AND NOT EXISTS "
      "(SELECT 1 FROM evidence.bundles b WHERE b.bundle_id = x.scope_id) ORDER BY x.scope_id",
      {std::to_string(transition.transition_id)});
  ++store.tally(ContinuityCheck::coverage).checked;
  for (int r = 0; r < gone.rows(); ++r) {
    store_finding(report, ContinuityCheck::coverage, std::string(gone.get(r, 0)),
                  "the bundle (old root " + std::string(gone.get(r, 1)) + ")", "no such bundle",
                  "the transition cross-references this bundle, but the store no longer holds it");
  }
}

/// Streams the walk through its cursor and closes it.
void run_walk(PgConnection& connection, ContinuityWalk& walk, const WalkScope& scope) {
  for (const char* setting : kStreamingPlanSettings) {
    connection.exec(setting);
  }
  connection.exec(walk_sql(),
                  {std::to_string(scope.transition_id), std::to_string(scope.from_generation),
                   std::to_string(scope.to_generation)});
  const std::string fetch_sql =
      "FETCH FORWARD " + std::to_string(kWalkFetchRows) + " FROM continuity_walk";
  while (true) {
    const PgResult rows = connection.exec_params(fetch_sql, {}, true);
    for (int r = 0; r < rows.rows(); ++r) {
      walk.row(rows, r);
    }
    if (rows.rows() < kWalkFetchRows) {
      break;
    }
  }
  connection.exec("CLOSE continuity_walk");
  walk.finish(stored_global_root(connection, scope.from_generation),
              stored_global_root(connection, scope.to_generation));
}

/// Checks a recorded transition between the roots given.
void verify_transition(PgConnection& connection, PluginRegistry& registry,
                       ContinuityReport& report) {
  const TransitionRecord& transition = *report.transition;
  report.old_generation = transition.from_generation;
  report.new_generation = transition.to_generation;
  report.old_algorithm = transition.from_algorithm;
  report.new_algorithm = transition.to_algorithm;
  const OwnedHasher old_hasher = verifying_hasher(registry, transition.from_algorithm);
  const OwnedHasher new_hasher = verifying_hasher(registry, transition.to_algorithm);
  report.old_hasher = old_hasher.source();
  report.new_hasher = new_hasher.source();
  check_transition_record(connection, report);
  WalkScope scope;
  scope.from_generation = transition.from_generation;
  scope.to_generation = transition.to_generation;
  scope.transition_id = transition.transition_id;
  scope.recorded_at = transition.recorded_at;
  ContinuityWalk walk(connection, report, scope, old_hasher.hasher(), new_hasher.hasher(),
                      read_tenants(connection, scope));
  run_walk(connection, walk, scope);
}

/// No recorded transition matches the roots given.
void report_no_transition(PgConnection& connection, ContinuityReport& report) {
  ++report.sections.front().tally(ContinuityCheck::transition).checked;
  std::string message = "no recorded transition matches the roots given";
  if (const auto swapped =
          swapped_roots_hint(connection, report.old_root_given, report.new_root_given)) {
    message += "; " + *swapped;
  }
  store_finding(
      report, ContinuityCheck::transition, "",
      "a recorded transition from " + report.old_root_given + " to " + report.new_root_given,
      recorded_transitions_text(connection), message);
}

/// The newest recorded schema migration that started from `root` (its migration_start event
/// records the global root before the run), with its run's outcome; nullopt when none is recorded.
std::optional<MigrationRecord> migration_from_root(PgConnection& connection,
                                                   const std::string& root) {
  if (connection
          .exec("SELECT to_regclass('stella.audit_events') IS NOT NULL AND "
                "to_regclass('stella.migration_runs') IS NOT NULL")
          .get(0, 0) != "t") {
    return std::nullopt;
  }
  const PgResult rows =
      connection.exec("SELECT e.id, " + iso_utc_sql("e.occurred_at") +
                          ", r.run_id, e.data->>'from_version', e.data->>'to_version', r.status, " +
                          iso_utc_sql("r.finished_at") +
                          ", r.store_after->>'globalRoot' FROM stella.audit_events e "
                          "JOIN stella.migration_runs r ON r.run_id::text = e.data->>'run_id' "
                          "WHERE e.event_type = 'migration_start' AND e.data->>'global_root' = $1 "
                          "AND r.kind = 'migrate' ORDER BY e.id DESC LIMIT 1",
                      {root});
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  MigrationRecord record;
  record.audit_event_id = rows.get_int64(0, 0);
  record.started_at = rows.get(0, 1);
  record.run_id = rows.get_int64(0, 2);
  record.from_version = rows.get_optional(0, 3).value_or("");
  record.to_version = rows.get_optional(0, 4).value_or("");
  record.status = rows.get(0, 5);
  record.finished_at = rows.get_optional(0, 6).value_or("");
  record.root_after = rows.get_optional(0, 7).value_or("");
  return record;
}

/// Equal roots given: nothing moved from one generation to another (a schema migration, say),
/// so there is no transition to find. What can still be proven is that the roots are the active
/// generation's stored root and that it recomputes from the stored digests and bytes; a recorded
/// migration that started from that root is cited, and must be intact in the audit trail.
void verify_no_root_change(PgConnection& connection, PluginRegistry& registry,
                           ContinuityReport& report) {
  const PgResult active = connection.exec(
      "SELECT g.generation, g.algorithm, r.root FROM evidence.digest_generations g "
      "LEFT JOIN evidence.global_roots r ON r.generation = g.generation WHERE g.active");
  if (active.rows() == 0) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store has no active digest generation, so there is no current root to "
                     "compare the roots given with",
                     "run `stella evidence verify-all`; a store needs exactly one active "
                     "generation");
  }
  NoRootChange unchanged;
  unchanged.generation = static_cast<int>(active.get_int64(0, 0));
  unchanged.algorithm = active.get(0, 1);
  unchanged.stored_root = active.get_optional(0, 2).value_or("");
  report.old_generation = report.new_generation = unchanged.generation;
  report.old_algorithm = report.new_algorithm = unchanged.algorithm;
  const OwnedHasher hasher = verifying_hasher(registry, unchanged.algorithm);
  report.old_hasher = report.new_hasher = hasher.source();

  ContinuitySection& store = report.sections.front();
  store.old_root_recorded = unchanged.stored_root;
  store.new_root_recorded = unchanged.stored_root;
  const std::string generation = std::to_string(unchanged.generation);
  ++store.tally(ContinuityCheck::transition).checked;
  if (report.old_root_given != unchanged.stored_root) {
    store_finding(report, ContinuityCheck::transition, "",
                  unchanged.stored_root.empty() ? "a stored global root of generation " + generation
                                                : unchanged.stored_root,
                  report.old_root_given,
                  "the roots given are equal, so no root change is claimed, but they are not the "
                  "store's current root: the active generation " +
                      generation + " (" + unchanged.algorithm + ") stores " +
                      (unchanged.stored_root.empty() ? std::string("no global root")
                                                     : unchanged.stored_root) +
                      " (expected: stored; found: given); " +
                      recorded_transitions_text(connection) +
                      ". Give the root captured before the migration as --old-root and the root "
                      "`stella evidence roots-export` shows now as --new-root");
  }
  unchanged.migration = migration_from_root(connection, report.old_root_given);
  if (unchanged.migration) {
    const MigrationRecord& migration = *unchanged.migration;
    const std::string run = "migration run " + std::to_string(migration.run_id);
    ++store.tally(ContinuityCheck::transition).checked;
    if (const auto broken = audit_event_chain_problem(connection, migration.audit_event_id)) {
      store_finding(report, ContinuityCheck::transition, "", broken->expected, broken->found,
                    "the migration_start event of " + run + ", which records the root given, " +
                        "is not intact: " + broken->message);
    }
    ++store.tally(ContinuityCheck::transition).checked;
    if (migration.status == "completed" && migration.root_after != report.old_root_given) {
      store_finding(report, ContinuityCheck::transition, "", report.old_root_given,
                    migration.root_after.empty() ? "no root recorded" : migration.root_after,
                    run +
                        " started from the root given but recorded another global root after "
                        "it (expected: the root given; found: recorded after the run)");
    }
  }
  report.unchanged = std::move(unchanged);

  WalkScope scope;
  scope.from_generation = report.old_generation;
  scope.to_generation = report.new_generation;
  ContinuityWalk walk(connection, report, scope, hasher.hasher(), hasher.hasher(),
                      read_tenants(connection, scope));
  run_walk(connection, walk, scope);
}

}  // namespace

std::unique_ptr<ContinuityReport> verify_continuity(const std::string& conninfo,
                                                    PluginRegistry& registry,
                                                    const ContinuityRequest& request) {
  parse_digest(request.old_root);
  parse_digest(request.new_root);
  const auto connection = PgConnection::connect(conninfo);
  // The walk is one streaming query of index probes per row: JIT compiling it costs more than it
  // saves.
  connection->exec("SET jit = off");
  require_generations_schema(*connection, "verify-continuity");
  auto report = std::make_unique<ContinuityReport>();
  report->old_root_given = request.old_root;
  report->new_root_given = request.new_root;
  report->database = database_name(*connection);
  report->schema_version = kGenerationsSchemaVersion;
  connection->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    report->started_at =
        std::string(connection->exec("SELECT " + iso_utc_sql("clock_timestamp()")).get(0, 0));
    ContinuitySection store;
    store.store_wide = true;
    report->sections.push_back(std::move(store));
    const std::vector<TransitionHop> chain =
        request.old_root == request.new_root
            ? std::vector<TransitionHop>{}
            : transition_chain(*connection, request.old_root, request.new_root);
    if (chain.size() > 1) {
      // Each transition is proved on its own: the old generation's digests against the new
      // one's. Comparing the ends directly would set roots of different generations side by side.
      std::string hops;
      std::string commands;
      for (const TransitionHop& hop : chain) {
        hops += (hops.empty() ? "" : ", ") + std::string("#") + std::to_string(hop.transition_id) +
                " " + hop.old_root + " \u2192 " + hop.new_root;
        commands += "\n  stella evidence verify-continuity --old-root " + hop.old_root +
                    " --new-root " + hop.new_root;
      }
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "the roots given are " + std::to_string(chain.size()) +
                           " recorded transitions apart (" + hops +
                           "); verify-continuity proves one transition at a time",
                       "prove each hop; together they prove the chain:" + commands);
    }
    if (request.old_root == request.new_root) {
      verify_no_root_change(*connection, registry, *report);
    } else if ((report->transition =
                    find_transition(*connection, request.old_root, request.new_root))) {
      verify_transition(*connection, registry, *report);
    } else {
      report_no_transition(*connection, *report);
    }
    report->finished_at =
        std::string(connection->exec("SELECT " + iso_utc_sql("clock_timestamp()")).get(0, 0));
    connection->exec("ROLLBACK");
  } catch (...) {
    try {
      connection->exec("ROLLBACK");
    } catch (...) {
      // The connection closes with the transaction anyway.
    }
    throw;
  }
  return report;
}

}  // namespace stella::host
