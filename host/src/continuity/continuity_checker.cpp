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
};

/// Every bundle with its artifacts, in Merkle order, with both generations' digests and roots and
/// the transition's cross-reference. $1 transition, $2 old generation, $3 new generation. Each
/// look-up by generation is a primary-key probe per row ("OFFSET 0" keeps it one): a join the
/// planner builds from stale statistics could scan a whole generation per row.
constexpr const char* kWalkSql =
    "DECLARE continuity_walk NO SCROLL CURSOR FOR "
    "SELECT b.tenant_id, b.bundle_id, x.old_root, x.new_root, so.root, sn.root, "
    "       a.path, c.content, d_old.digest, d_new.digest "
    "FROM evidence.bundles b "
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

std::optional<std::string_view> optional_field(const PgResult& rows, int row, int column) {
  if (rows.is_null(row, column)) {
    return std::nullopt;
  }
  return rows.get(row, column);
}

/// A tenant of the walk: in the store, in the transition, or both.
struct TenantRow {
  std::string tenant_id;
  std::optional<std::string> cross_old;
  std::optional<std::string> cross_new;
  bool in_store = false;
};

std::vector<TenantRow> read_tenants(PgConnection& connection, std::int64_t transition_id) {
  const PgResult rows = connection.exec(
      "SELECT coalesce(t.tenant_id, x.scope_id), x.old_root, x.new_root, t.tenant_id IS NOT NULL "
      "FROM evidence.tenants t FULL JOIN (SELECT scope_id, old_root, new_root "
      "  FROM evidence.root_cross_references WHERE transition_id = $1 AND scope = 'tenant') x "
      "ON x.scope_id = t.tenant_id ORDER BY 1",
      {std::to_string(transition_id)});
  std::vector<TenantRow> tenants;
  for (int r = 0; r < rows.rows(); ++r) {
    TenantRow row;
    row.tenant_id = rows.get(r, 0);
    row.cross_old = rows.get_optional(r, 1);
    row.cross_new = rows.get_optional(r, 2);
    row.in_store = rows.get(r, 3) == "t";
    tenants.push_back(std::move(row));
  }
  return tenants;
}

/// One bundle being read: its trees in both generations and what was stored and recorded.
struct BundleState {
  std::string bundle_id;
  std::optional<std::string> cross_old;
  std::optional<std::string> cross_new;
  std::optional<std::string> stored_old;
  std::optional<std::string> stored_new;
  MerkleRootBuilder old_tree;
  MerkleRootBuilder new_tree;
  BundleState(const TreeHasher& old_hasher, const TreeHasher& new_hasher)
      : old_tree(old_hasher), new_tree(new_hasher) {}
  bool in_transition() const { return cross_old.has_value(); }
};

/// Drives the checks over the walk, section by section.
class ContinuityWalk {
 public:
  ContinuityWalk(ContinuityReport& report, const TransitionRecord& transition,
                 const TreeHasher& old_hasher, const TreeHasher& new_hasher,
                 std::vector<TenantRow> tenants)
      : report_(report),
        transition_(transition),
        old_hasher_(old_hasher),
        new_hasher_(new_hasher),
        tenants_(std::move(tenants)),
        old_global_(old_hasher),
        new_global_(new_hasher) {}

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
    }
    if (rows.is_null(r, kPath)) {
      return;  // a bundle without artifacts
    }
    artifact(rows.get(r, kPath), optional_field(rows, r, kContent),
             optional_field(rows, r, kDigestOld), optional_field(rows, r, kDigestNew));
  }

  /// Closes the walk: remaining tenants, then the global roots.
  void finish() {
    close_tenant();
    while (next_tenant_ < tenants_.size()) {
      begin_tenant(next_tenant_++);
      close_tenant();
    }
    ContinuitySection& store = report_.sections.front();
    const std::string old_global = format_digest(old_hasher_.algorithm_id(), old_global_.root());
    const std::string new_global = format_digest(new_hasher_.algorithm_id(), new_global_.root());
    store.old_root_recomputed = old_global;
    store.new_root_recomputed = new_global;
    compare(store, ContinuityCheck::old_root, "", "", "", report_.old_root_given, old_global,
            "the old global root given does not recompute from the old digests");
    compare(store, ContinuityCheck::old_root, "", "", "", transition_.old_global_root, old_global,
            "the transition's recorded old global root does not recompute from the old digests");
    compare(store, ContinuityCheck::new_root, "", "", "", report_.new_root_given, new_global,
            "the new global root given does not recompute from the new digests");
    compare(store, ContinuityCheck::new_root, "", "", "", transition_.new_global_root, new_global,
            "the transition's recorded new global root does not recompute from the new digests");
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
    old_tenant_.emplace(old_hasher_);
    new_tenant_.emplace(new_hasher_);
  }

  void close_tenant() {
    close_bundle();
    if (!tenant_open_) {
      return;
    }
    tenant_open_ = false;
    const TenantRow& tenant = current_tenant();
    ContinuitySection& target = section();
    const std::string old_root = format_digest(old_hasher_.algorithm_id(), old_tenant_->root());
    const std::string new_root = format_digest(new_hasher_.algorithm_id(), new_tenant_->root());
    target.old_root_recomputed = old_root;
    target.new_root_recomputed = new_root;
    target.old_root_recorded = tenant.cross_old.value_or("");
    target.new_root_recorded = tenant.cross_new.value_or("");
    const bool in_transition = tenant.cross_old.has_value();
    target.in_transition = in_transition;
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
    old_global_.add_leaf_hash(tenant_leaf_hash(old_hasher_, tenant.tenant_id, old_root));
    new_global_.add_leaf_hash(tenant_leaf_hash(new_hasher_, tenant.tenant_id, new_root));
  }

  void artifact(std::string_view path, std::optional<std::string_view> content,
                std::optional<std::string_view> digest_old,
                std::optional<std::string_view> digest_new) {
    ContinuitySection& target = section();
    BundleState& bundle = *bundle_;
    if (bundle.in_transition()) {
      ++target.artifacts;
    } else {
      ++target.artifacts_outside;
    }
    ++target.tally(ContinuityCheck::coverage).checked;
    if (!digest_old || !digest_new) {
      const int missing = digest_old ? transition_.to_generation : transition_.from_generation;
      const int present = digest_old ? transition_.from_generation : transition_.to_generation;
      const bool neither = !digest_old && !digest_new;
      add_finding(target, ContinuityCheck::coverage, bundle.bundle_id, path,
                  "a digest in generations " + std::to_string(transition_.from_generation) +
                      " and " + std::to_string(transition_.to_generation),
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
      bundle.old_tree.add_leaf_hash(artifact_leaf_hash(old_hasher_, path, *digest_old));
    }
    if (digest_new) {
      bundle.new_tree.add_leaf_hash(artifact_leaf_hash(new_hasher_, path, *digest_new));
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
      add_finding(target, check, bundle_id, path, recomputed, std::string(*stored),
                  "the stored digest does not match the stored bytes (expected: recomputed "
                  "from the bytes; found: stored)");
    }
  }

  void close_bundle() {
    if (!bundle_) {
      return;
    }
    ContinuitySection& target = section();
    BundleState& bundle = *bundle_;
    const std::string old_root = format_digest(old_hasher_.algorithm_id(), bundle.old_tree.root());
    const std::string new_root = format_digest(new_hasher_.algorithm_id(), bundle.new_tree.root());
    ++target.tally(ContinuityCheck::coverage).checked;
    if (!bundle.stored_old || !bundle.stored_new) {
      add_finding(target, ContinuityCheck::coverage, bundle.bundle_id, "",
                  "a stored root in generations " + std::to_string(transition_.from_generation) +
                      " and " + std::to_string(transition_.to_generation),
                  bundle.stored_old ? "a root in generation " +
                                          std::to_string(transition_.from_generation) + " only"
                  : bundle.stored_new ? "a root in generation " +
                                            std::to_string(transition_.to_generation) + " only"
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
    if (bundle.in_transition()) {
      ++target.bundles;
      compare(target, ContinuityCheck::transition, bundle.bundle_id, "", "", bundle.cross_old,
              old_root,
              "the transition's cross-reference records another old root for this bundle than "
              "its old digests give");
      compare(target, ContinuityCheck::transition, bundle.bundle_id, "", "", bundle.cross_new,
              new_root,
              "the transition's cross-reference records another new root for this bundle than "
              "its new digests give");
      old_tenant_->add_leaf_hash(bundle_leaf_hash(old_hasher_, bundle.bundle_id, old_root));
      new_tenant_->add_leaf_hash(bundle_leaf_hash(new_hasher_, bundle.bundle_id, new_root));
    } else {
      ++target.bundles_outside;
    }
    bundle_.reset();
  }

  ContinuityReport& report_;
  const TransitionRecord& transition_;
  const TreeHasher& old_hasher_;
  const TreeHasher& new_hasher_;
  std::vector<TenantRow> tenants_;
  std::size_t next_tenant_ = 0;
  std::size_t tenant_index_ = 0;
  bool tenant_open_ = false;
  std::optional<BundleState> bundle_;
  std::optional<MerkleRootBuilder> old_tenant_;
  std::optional<MerkleRootBuilder> new_tenant_;
  MerkleRootBuilder old_global_;
  MerkleRootBuilder new_global_;
};

/// Store-wide checks of the transition record itself.
void check_transition_record(PgConnection& connection, ContinuityReport& report) {
  const TransitionRecord& transition = *report.transition;
  ContinuitySection& store = report.sections.front();
  store.old_root_recorded = transition.old_global_root;
  store.new_root_recorded = transition.new_global_root;
  auto finding = [&](ContinuityCheck check, std::string bundle, std::string expected,
                     std::string found, std::string message) {
    ++store.tally(check).failed;
    ++store.finding_count;
    ContinuityFinding item;
    item.check = check;
    item.bundle = std::move(bundle);
    item.expected = std::move(expected);
    item.found = std::move(found);
    item.message = std::move(message);
    report.store_findings.append(item);
  };
  ++store.tally(ContinuityCheck::transition).checked;
  if (transition.old_global_root != report.old_root_given) {
    finding(ContinuityCheck::transition, "", transition.old_global_root, report.old_root_given,
            "the old root given is not the old root of transition " +
                std::to_string(transition.transition_id) + " (expected: recorded; found: given)");
  }
  ++store.tally(ContinuityCheck::transition).checked;
  if (transition.new_global_root != report.new_root_given) {
    finding(ContinuityCheck::transition, "", transition.new_global_root, report.new_root_given,
            "the new root given is not the new root of transition " +
                std::to_string(transition.transition_id) + " (expected: recorded; found: given)");
  }
  ++store.tally(ContinuityCheck::transition).checked;
  if (const auto audit_problem = transition_audit_problem(connection, transition)) {
    finding(ContinuityCheck::transition, "", audit_problem->expected, audit_problem->found,
            audit_problem->message);
  }
  // Bundles the transition cross-references that the store no longer holds.
  const PgResult gone = connection.exec(
      "SELECT x.scope_id, x.old_root FROM evidence.root_cross_references x "
      "WHERE x.transition_id = $1 AND x.scope = 'bundle' AND NOT EXISTS "
      "(SELECT 1 FROM evidence.bundles b WHERE b.bundle_id = x.scope_id) ORDER BY x.scope_id",
      {std::to_string(transition.transition_id)});
  ++store.tally(ContinuityCheck::coverage).checked;
  for (int r = 0; r < gone.rows(); ++r) {
    finding(ContinuityCheck::coverage, std::string(gone.get(r, 0)),
            "the bundle (old root " + std::string(gone.get(r, 1)) + ")", "no such bundle",
            "the transition cross-references this bundle, but the store no longer holds it");
  }
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
    report->transition = find_transition(*connection, request.old_root, request.new_root);
    if (!report->transition) {
      ContinuitySection& section = report->sections.front();
      ++section.tally(ContinuityCheck::transition).checked;
      ++section.tally(ContinuityCheck::transition).failed;
      ++section.finding_count;
      ContinuityFinding finding;
      finding.check = ContinuityCheck::transition;
      finding.expected =
          "a recorded transition from " + request.old_root + " to " + request.new_root;
      finding.found = recorded_transitions_text(*connection);
      finding.message = "no recorded transition matches the roots given";
      if (const auto swapped =
              swapped_roots_hint(*connection, request.old_root, request.new_root)) {
        finding.message += "; " + *swapped;
      }
      report->store_findings.append(finding);
    } else {
      const TransitionRecord& transition = *report->transition;
      const OwnedHasher old_hasher = verifying_hasher(registry, transition.from_algorithm);
      const OwnedHasher new_hasher = verifying_hasher(registry, transition.to_algorithm);
      report->old_hasher = old_hasher.source();
      report->new_hasher = new_hasher.source();
      check_transition_record(*connection, *report);
      ContinuityWalk walk(*report, transition, old_hasher.hasher(), new_hasher.hasher(),
                          read_tenants(*connection, transition.transition_id));
      for (const char* setting : kStreamingPlanSettings) {
        connection->exec(setting);
      }
      connection->exec(kWalkSql, {std::to_string(transition.transition_id),
                                  std::to_string(transition.from_generation),
                                  std::to_string(transition.to_generation)});
      const std::string fetch_sql =
          "FETCH FORWARD " + std::to_string(kWalkFetchRows) + " FROM continuity_walk";
      while (true) {
        const PgResult rows = connection->exec_params(fetch_sql, {}, true);
        for (int r = 0; r < rows.rows(); ++r) {
          walk.row(rows, r);
        }
        if (rows.rows() < kWalkFetchRows) {
          break;
        }
      }
      connection->exec("CLOSE continuity_walk");
      walk.finish();
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
