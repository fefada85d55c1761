// Sealing a generation. The expensive work (every batch) is already committed; what runs under the
// lock is the few bundles that arrived since, the roots over stored bundle roots (one row per
// bundle, no payloads), and the inserts of the transition.
#include "reindex/generation_sealer.hpp"

#include <map>

#include <rapidjson/document.h>

#include "reindex/copy_text.hpp"
#include "reindex/generation_digests_table.hpp"
#include "reindex/generation_roots.hpp"
#include "reindex/json_fields.hpp"
#include "reindex/reindex_locks.hpp"
#include "reindex/transient_conflict.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Attempts of the locked transaction before a deadlock or lock timeout is reported.
constexpr int kSealAttempts = 5;
/// How long the sealing transaction waits for ingest transactions to release the evidence tables.
constexpr const char* kSealLockTimeout = "60s";
/// Where the roots walk leaves each bundle's old and new root until the transition they belong to
/// is recorded (a temporary table, dropped at commit).
constexpr const char* kBundleLinksTable = "pg_temp.reindex_bundle_links";
/// Mismatching tenants named in an error before "and N more".
constexpr std::size_t kMismatchesNamed = 5;

/// True when every bundle has a root in the generation (roots reference bundles, one per
/// generation, so equal counts say so without probing each bundle).
bool every_bundle_has_a_root(PgConnection& connection, int generation) {
  return connection
             .exec(
                 "SELECT (SELECT count(*) FROM evidence.bundles) = "
                 "(SELECT count(*) FROM evidence.bundle_roots WHERE generation = $1)",
                 {std::to_string(generation)})
             .get(0, 0) == "t";
}

DigestCounts cover_stragglers(PgConnection& connection, const SealInputs& inputs,
                              bool own_transactions) {
  DigestCounts total;
  if (every_bundle_has_a_root(connection, inputs.run.generation)) {
    return total;
  }
  BundleSelection selection;
  selection.since = inputs.run.since;
  selection.limit = inputs.chunk_bundles;
  DigestTables tables;
  tables.digests = generation_digests_table(connection, inputs.run.generation);
  while (true) {
    DigestCounts chunk;
    if (own_transactions) {
      // Serialized with other workers' passes and with sealing: two passes never pick the same
      // straggler at once.
      PgTransaction transaction(connection);
      connection.exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(kReindexSealLockKey)});
      chunk =
          digest_bundles(connection, *inputs.new_hasher, inputs.run.generation, selection, tables);
      transaction.commit();
    } else {
      chunk =
          digest_bundles(connection, *inputs.new_hasher, inputs.run.generation, selection, tables);
    }
    total += chunk;
    if (chunk.bundles < inputs.chunk_bundles) {
      return total;
    }
  }
}

std::string data_json(rapidjson::Document& document) {
  return json_to_string(document, JsonLayout::compact);
}

void record_incomplete(PgConnection& connection, const SealInputs& inputs, const CoverageGap& gap) {
  connection.exec(
      "UPDATE stella.reindex_runs SET missing_bundles = $2, missing_artifacts = $3 "
      "WHERE run_id = $1",
      {std::to_string(inputs.run.run_id), std::to_string(gap.bundles),
       std::to_string(gap.artifacts)});
  rapidjson::Document data(rapidjson::kObjectType);
  auto& allocator = data.GetAllocator();
  add_string(data, "action", "incomplete", allocator);
  add_int(data, "run_id", inputs.run.run_id, allocator);
  add_int(data, "generation", inputs.run.generation, allocator);
  add_string(data, "algorithm", inputs.run.algorithm, allocator);
  add_optional_string(
      data, "since",
      inputs.run.since ? std::optional<std::string_view>(*inputs.run.since) : std::nullopt,
      allocator);
  add_int(data, "missing_bundles", gap.bundles, allocator);
  add_int(data, "missing_artifacts", gap.artifacts, allocator);
  add_int(data, "missing_artifacts_before_since", gap.artifacts_before_since, allocator);
  append_audit_event(connection, audit_type::kReindex, inputs.operator_name, data_json(data));
}

/// Refuses to record a transition from an active generation that does not cover the store.
void require_old_generation_covers(PgConnection& connection, int generation) {
  const PgResult counts = connection.exec(
      "SELECT (SELECT count(*) FROM evidence.bundles) - "
      "       (SELECT count(*) FROM evidence.bundle_roots WHERE generation = $1), "
      "       (SELECT count(*) FROM evidence.artifacts) - "
      "       (SELECT count(*) FROM evidence.artifact_digests WHERE generation = $1)",
      {std::to_string(generation)});
  const std::int64_t bundles = counts.get_int64(0, 0);
  const std::int64_t artifacts = counts.get_int64(0, 1);
  if (bundles != 0 || artifacts != 0) {
    throw sdk::Error(sdk::ErrorCode::verification_failed,
                     "the active generation " + std::to_string(generation) + " lacks roots for " +
                         std::to_string(bundles) + " bundles and digests for " +
                         std::to_string(artifacts) +
                         " artifacts; a transition must start from a generation that covers "
                         "every record",
                     "run `stella evidence verify-all` to see which records; evidence loaded "
                     "by other means must carry digests of the active generation");
  }
}

/// Checks the recomputed roots of the active generation against the roots it has stored.
void require_old_roots_match(PgConnection& connection, int generation,
                             const GenerationRootPair& roots) {
  std::map<std::string, std::string> stored;
  const PgResult tenant_rows =
      connection.exec("SELECT tenant_id, root FROM evidence.tenant_roots WHERE generation = $1",
                      {std::to_string(generation)});
  for (int r = 0; r < tenant_rows.rows(); ++r) {
    stored.emplace(std::string(tenant_rows.get(r, 0)), std::string(tenant_rows.get(r, 1)));
  }
  std::vector<std::string> mismatches;
  for (const TenantRootPair& tenant : roots.tenants) {
    const auto found = stored.find(tenant.tenant_id);
    if (found == stored.end()) {
      // A tenant without bundles may have no stored root; its root is the empty-tree root.
      if (tenant.bundles > 0) {
        mismatches.push_back("tenant " + tenant.tenant_id + " has no stored root (recomputed " +
                             tenant.old_root + ")");
      }
    } else if (found->second != tenant.old_root) {
      mismatches.push_back("tenant " + tenant.tenant_id + " stored " + found->second +
                           ", recomputed " + tenant.old_root);
    }
  }
  const PgResult global = connection.exec(
      "SELECT root FROM evidence.global_roots WHERE generation = $1", {std::to_string(generation)});
  if (global.rows() == 0) {
    mismatches.insert(mismatches.begin(),
                      "no stored global root (recomputed " + roots.old_global_root + ")");
  } else if (global.get(0, 0) != roots.old_global_root) {
    mismatches.insert(mismatches.begin(), "global root stored " + std::string(global.get(0, 0)) +
                                              ", recomputed " + roots.old_global_root);
  }
  if (mismatches.empty()) {
    return;
  }
  std::string named;
  for (std::size_t i = 0; i < mismatches.size() && i < kMismatchesNamed; ++i) {
    named += (i == 0 ? "" : "; ") + mismatches[i];
  }
  if (mismatches.size() > kMismatchesNamed) {
    named += "; and " + std::to_string(mismatches.size() - kMismatchesNamed) + " more";
  }
  throw sdk::Error(sdk::ErrorCode::verification_failed,
                   "generation " + std::to_string(generation) +
                       "'s stored roots do not match the roots recomputed from its bundle roots: " +
                       named + "; nothing was sealed",
                   "run `stella evidence verify-all` and resolve the mismatch before reindexing; "
                   "the reindex resumes where it stopped");
}

void store_new_roots(PgConnection& connection, const SealInputs& inputs,
                     const GenerationRootPair& roots) {
  ComputedRoots computed;
  computed.global_root = roots.new_global_root;
  computed.bundle_count = roots.bundles;
  computed.artifact_count = roots.artifacts;
  for (const TenantRootPair& tenant : roots.tenants) {
    computed.tenants.push_back(
        {tenant.tenant_id, tenant.new_root, tenant.bundles, tenant.artifacts, {}});
  }
  store_generation_roots(connection, inputs.run.generation, computed);
}

std::int64_t record_transition(PgConnection& connection, const SealInputs& inputs,
                               const GenerationRootPair& roots) {
  const PgResult inserted = connection.exec(
      "INSERT INTO evidence.root_transitions (from_generation, to_generation, old_global_root, "
      "new_global_root, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING transition_id",
      {std::to_string(inputs.run.from_generation), std::to_string(inputs.run.generation),
       roots.old_global_root, roots.new_global_root, inputs.operator_name});
  const std::int64_t transition_id = inserted.get_int64(0, 0);
  std::string rows;
  for (const TenantRootPair& tenant : roots.tenants) {
    append_copy_integer(rows, transition_id, true);
    append_copy_field(rows, "tenant", false);
    append_copy_field(rows, tenant.tenant_id, false);
    append_copy_field(rows, tenant.old_root, false);
    append_copy_field(rows, tenant.new_root, false);
    end_copy_row(rows);
  }
  if (!rows.empty()) {
    connection.copy_in_start(
        "COPY evidence.root_cross_references (transition_id, scope, scope_id, old_root, "
        "new_root) FROM STDIN");
    connection.copy_in_put(rows);
    connection.copy_in_finish();
  }
  connection.exec(std::string("INSERT INTO evidence.root_cross_references (transition_id, scope, "
                              "scope_id, old_root, new_root) SELECT $1, 'bundle', bundle_id, "
                              "old_root, new_root FROM ") +
                      kBundleLinksTable,
                  {std::to_string(transition_id)});
  return transition_id;
}

std::int64_t audit_root_change(PgConnection& connection, const SealInputs& inputs,
                               const GenerationRootPair& roots, std::int64_t transition_id) {
  rapidjson::Document data(rapidjson::kObjectType);
  auto& allocator = data.GetAllocator();
  add_string(data, "old_root", roots.old_global_root, allocator);
  add_string(data, "new_root", roots.new_global_root, allocator);
  add_int(data, "cross_reference", transition_id, allocator);
  add_int(data, "from_generation", inputs.run.from_generation, allocator);
  add_int(data, "to_generation", inputs.run.generation, allocator);
  add_string(data, "from_algorithm", inputs.run.from_algorithm, allocator);
  add_string(data, "to_algorithm", inputs.run.algorithm, allocator);
  add_int(data, "tenants", static_cast<std::int64_t>(roots.tenants.size()), allocator);
  add_int(data, "bundles", roots.bundles, allocator);
  add_int(data, "artifacts", roots.artifacts, allocator);
  add_int(data, "run_id", inputs.run.run_id, allocator);
  const std::int64_t event_id = append_audit_event(connection, audit_type::kRootHashChange,
                                                   inputs.operator_name, data_json(data));
  connection.exec(
      "UPDATE evidence.root_transitions SET audit_event_id = $2 "
      "WHERE transition_id = $1",
      {std::to_string(transition_id), std::to_string(event_id)});
  return event_id;
}

/// Thrown out of the sealing transaction (rolling it back) when the generation's digests still
/// need attaching: that is done outside the seal's locks (generation_digests_table.hpp).
struct DigestsNotAttached {};

SealResult sealed_elsewhere(PgConnection& connection, int generation) {
  SealResult result;
  result.kind = SealKind::sealed_elsewhere;
  const PgResult row = connection.exec(
      "SELECT t.transition_id, t.old_global_root, t.new_global_root, coalesce(t.audit_event_id, 0) "
      "FROM evidence.root_transitions t WHERE t.to_generation = $1",
      {std::to_string(generation)});
  if (row.rows() > 0) {
    result.transition_id = row.get_int64(0, 0);
    result.old_global_root = row.get(0, 1);
    result.new_global_root = row.get(0, 2);
    result.audit_event_id = row.get_int64(0, 3);
  }
  return result;
}

/// False when a run with --since leaves older records uncovered: then the generation is not sealed
/// yet, and its table stays without keys for the runs that finish it.
bool may_complete(PgConnection& connection, const SealInputs& inputs) {
  return !inputs.run.since ||
         coverage_gap(connection, inputs.run.generation, inputs.run.since).bundles_before_since ==
             0;
}

SealResult sealing_transaction(PgConnection& connection, const SealInputs& inputs) {
  PgTransaction transaction(connection);
  // The seal is the custody record: it is flushed before the command reports success, whatever
  // the batches used.
  connection.exec("SET LOCAL synchronous_commit = on");
  connection.exec(std::string("SET LOCAL lock_timeout = '") + kSealLockTimeout + "'");
  connection.exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(kReindexSealLockKey)});
  // Ingest inserts bundles and artifacts under ROW EXCLUSIVE, which SHARE ROW EXCLUSIVE excludes:
  // from here to commit no new evidence lands, so the roots cover exactly what is stored. Taken
  // before any other lock an ingest may need: an ingest holding evidence.bundles goes on to write
  // digests, whose foreign key locks this generation's row in evidence.digest_generations, so
  // locking that row first would be a deadlock. The row lock is NO KEY UPDATE, which those
  // foreign-key checks (KEY SHARE) do not wait for: the seal changes no key of the row.
  connection.exec("LOCK TABLE evidence.bundles, evidence.artifacts IN SHARE ROW EXCLUSIVE MODE");
  const PgResult state = connection.exec(
      "SELECT state FROM evidence.digest_generations WHERE generation = $1 FOR NO KEY UPDATE",
      {std::to_string(inputs.run.generation)});
  if (state.rows() == 0) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "generation " + std::to_string(inputs.run.generation) + " of reindex run " +
                         std::to_string(inputs.run.run_id) +
                         " no longer exists in evidence.digest_generations",
                     "the store was changed while the reindex ran; run `stella evidence "
                     "integrity-check --deep`");
  }
  if (state.get(0, 0) != "building") {
    SealResult result = sealed_elsewhere(connection, inputs.run.generation);
    transaction.commit();
    return result;
  }
  const PgResult active =
      connection.exec("SELECT generation FROM evidence.digest_generations WHERE active");
  if (active.rows() != 1 || active.get_int64(0, 0) != inputs.run.from_generation) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "reindex run " + std::to_string(inputs.run.run_id) +
                         " started from generation " + std::to_string(inputs.run.from_generation) +
                         ", which is no longer the active generation",
                     "the store's generations changed while the reindex ran; run `stella evidence "
                     "integrity-check --deep`");
  }
  SealResult result;
  result.stragglers = cover_stragglers(connection, inputs, false);
  result.gap = coverage_gap(connection, inputs.run.generation, inputs.run.since);
  if (!result.gap.complete()) {
    result.kind = SealKind::incomplete;
    record_incomplete(connection, inputs, result.gap);
    transaction.commit();
    return result;
  }
  if (!generation_digests_attached(connection, inputs.run.generation)) {
    // Coverage completed although this run's --since left older records out when the keys would
    // have been built (another worker covered them meanwhile): build them, then seal.
    throw DigestsNotAttached{};
  }
  require_old_generation_covers(connection, inputs.run.from_generation);
  connection.exec(std::string("CREATE TEMP TABLE ") + kBundleLinksTable +
                  " (bundle_id text, old_root text, new_root text) ON COMMIT DROP");
  const GenerationRootPair roots = compute_generation_roots(
      connection, GenerationHasher{inputs.run.from_generation, inputs.old_hasher},
      GenerationHasher{inputs.run.generation, inputs.new_hasher}, std::string(kBundleLinksTable));
  require_old_roots_match(connection, inputs.run.from_generation, roots);
  store_new_roots(connection, inputs, roots);
  result.transition_id = record_transition(connection, inputs, roots);
  result.audit_event_id = audit_root_change(connection, inputs, roots, result.transition_id);
  connection.exec("UPDATE evidence.digest_generations SET active = false WHERE generation = $1",
                  {std::to_string(inputs.run.from_generation)});
  connection.exec(
      "UPDATE evidence.digest_generations SET state = 'sealed', sealed_at = now(), active = true "
      "WHERE generation = $1",
      {std::to_string(inputs.run.generation)});
  connection.exec(
      "UPDATE stella.reindex_runs SET state = 'sealed', "
      "finished_at = coalesce(finished_at, clock_timestamp()), missing_bundles = 0, "
      "missing_artifacts = 0 WHERE run_id = $1",
      {std::to_string(inputs.run.run_id)});
  transaction.commit();
  result.kind = SealKind::sealed;
  result.old_global_root = roots.old_global_root;
  result.new_global_root = roots.new_global_root;
  result.tenants = static_cast<std::int64_t>(roots.tenants.size());
  result.bundles = roots.bundles;
  result.artifacts = roots.artifacts;
  return result;
}

}  // namespace

CoverageGap coverage_gap(PgConnection& connection, int generation,
                         const std::optional<std::string>& since) {
  const std::string generation_text = std::to_string(generation);
  // Roots reference bundles, one per generation (primary key), and a bundle's digests are written
  // only with its root (generation_digests_table.cpp): equal counts mean every record is covered,
  // without an anti-join.
  const PgResult counts = connection.exec(
      "SELECT (SELECT count(*) FROM evidence.bundles) - "
      "       (SELECT count(*) FROM evidence.bundle_roots WHERE generation = $1), "
      "       (SELECT count(*) FROM evidence.artifacts)",
      {generation_text});
  CoverageGap gap;
  gap.bundles = counts.get_int64(0, 0);
  gap.artifacts = counts.get_int64(0, 1) - count_generation_digests(connection, generation);
  if (gap.complete() || !since) {
    return gap;
  }
  const PgResult before = connection.exec(
      "SELECT (SELECT count(*) FROM evidence.bundles b WHERE b.created_at < $2::timestamptz "
      "        AND NOT EXISTS (SELECT 1 FROM evidence.bundle_roots r "
      "                        WHERE r.generation = $1 AND r.bundle_id = b.bundle_id "
      "                        OFFSET 0)), "
      "       (SELECT count(*) FROM evidence.artifacts a "
      "        JOIN evidence.bundles b ON b.bundle_id = a.bundle_id "
      "        WHERE b.created_at < $2::timestamptz "
      "        AND NOT EXISTS (SELECT 1 FROM evidence.bundle_roots r "
      "                        WHERE r.generation = $1 AND r.bundle_id = b.bundle_id "
      "                        OFFSET 0))",
      {generation_text, *since});
  gap.bundles_before_since = before.get_int64(0, 0);
  gap.artifacts_before_since = before.get_int64(0, 1);
  return gap;
}

SealResult seal_generation(PgConnection& connection, const SealInputs& inputs) {
  DigestCounts unlocked;
  for (int attempt = 1;; ++attempt) {
    try {
      // Bundles that arrived while the batches ran are covered first in short transactions, so
      // the locked transaction only meets the few that arrive during this pass.
      unlocked += cover_stragglers(connection, inputs, true);
      if (may_complete(connection, inputs)) {
        attach_generation_digests(connection, inputs.run.generation);
      }
      SealResult result = sealing_transaction(connection, inputs);
      result.stragglers += unlocked;
      if (result.kind == SealKind::sealed) {
        // The tables just gained a generation's worth of rows; fresh statistics keep the plans of
        // the verbs that read them next (verify-continuity, verify-all) on their indexes. Only the
        // new partition: the other generations' statistics have not changed, and sampling them
        // again costs as much as the rest of this step.
        connection.exec("ANALYZE " + generation_digests_table(connection, inputs.run.generation) +
                        ", evidence.bundle_roots");
      }
      return result;
    } catch (const sdk::Error& error) {
      if (attempt >= kSealAttempts || !is_retryable_conflict(error)) {
        throw;
      }
    } catch (const DigestsNotAttached&) {
      if (attempt >= kSealAttempts) {
        throw sdk::Error(sdk::ErrorCode::internal,
                         "generation " + std::to_string(inputs.run.generation) +
                             "'s digests were not attached to evidence.artifact_digests after " +
                             std::to_string(kSealAttempts) + " attempts",
                         "run `stella evidence reindex --resume` again; if this repeats, report it "
                         "with `stella evidence reindex --progress` output");
      }
    }
  }
}

}  // namespace stella::host
