// The dry run: the same target decision and the same batch cut as a real run, in a read-only
// snapshot, plus one sample batch really read, hashed with the plugin and written (to temporary
// tables, rolled back) to measure what a batch costs on this store.
#include "stella/host/reindex/reindex_plan.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "reindex/bundle_digester.hpp"
#include "reindex/iso_utc_sql.hpp"
#include "reindex/work_table.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/reindex/algorithm_hashers.hpp"
#include "stella/host/reindex/reindex_runner.hpp"
#include "stella/host/reindex/reindex_target.hpp"
#include "stella/host/reindex/store_generations.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Artifacts in the measured sample: enough for a stable per-artifact cost, few enough that the
/// dry run stays quick.
constexpr std::int64_t kSampleArtifacts = 2000;

/// Ends the read-only snapshot however the plan is left.
class ReadOnlySnapshot {
 public:
  explicit ReadOnlySnapshot(PgConnection& connection) : connection_(connection) {
    connection_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  ~ReadOnlySnapshot() {
    try {
      connection_.exec("ROLLBACK");
    } catch (...) {
      // Closing the connection ends the transaction anyway.
    }
  }
  ReadOnlySnapshot(const ReadOnlySnapshot&) = delete;
  ReadOnlySnapshot& operator=(const ReadOnlySnapshot&) = delete;

 private:
  PgConnection& connection_;
};

bool reindex_tables_exist(PgConnection& connection) {
  return connection.exec("SELECT to_regclass('stella.reindex_runs') IS NOT NULL").get(0, 0) == "t";
}

RecordCounts counts_from(const PgResult& row) {
  return RecordCounts{row.get_int64(0, 0), row.get_int64(0, 1), row.get_int64(0, 2),
                      row.get_int64(0, 3)};
}

/// Bundles (with their tenants, artifacts and bytes) matching `bundle_filter`, an SQL condition
/// on bundles b with $1 = generation and $2 = since.
RecordCounts count_bundles(PgConnection& connection, const std::string& bundle_filter,
                           int generation, const std::optional<std::string>& since) {
  return counts_from(connection.exec(
      "SELECT count(DISTINCT b.tenant_id), count(DISTINCT b.bundle_id), count(a.path), "
      "coalesce(sum(a.size_bytes), 0) FROM evidence.bundles b "
      "LEFT JOIN evidence.artifacts a ON a.bundle_id = b.bundle_id WHERE " +
          bundle_filter,
      {std::to_string(generation), since}));
}

constexpr const char* kLacksRoot =
    "NOT EXISTS (SELECT 1 FROM evidence.bundle_roots r WHERE r.generation = $1::integer "
    "AND r.bundle_id = b.bundle_id OFFSET 0)";

/// Reads, hashes and writes one sample batch in a transaction that is rolled back.
ReindexEstimate measure_sample(PgConnection& connection, const TreeHasher& hasher, int generation,
                               const ReindexPlan& plan,
                               const std::optional<std::string>& sample_lower) {
  ReindexEstimate estimate;
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  estimate.effective_parallel = std::min(plan.parallel, static_cast<int>(cores));
  if (plan.affected.artifacts == 0) {
    return estimate;
  }
  const double artifacts_per_bundle =
      static_cast<double>(plan.affected.artifacts) /
      static_cast<double>(std::max<std::int64_t>(1, plan.affected.bundles));
  BundleSelection selection;
  selection.lower = sample_lower;
  selection.since = plan.since;
  selection.limit = std::max<std::int64_t>(
      1,
      static_cast<std::int64_t>(static_cast<double>(std::min(kSampleArtifacts, plan.batch_size)) /
                                std::max(1.0, artifacts_per_bundle)));
  connection.exec("BEGIN");
  try {
    // Shaped as the table a run fills (generation_digests_table.hpp): no key or index until the
    // seal.
    connection.exec(
        "CREATE TEMP TABLE reindex_sample_digests "
        "(LIKE evidence.artifact_digests INCLUDING DEFAULTS INCLUDING CONSTRAINTS) ON COMMIT DROP");
    connection.exec(
        "CREATE TEMP TABLE reindex_sample_roots "
        "(LIKE evidence.bundle_roots INCLUDING ALL) ON COMMIT DROP");
    DigestTables tables;
    tables.digests = "pg_temp.reindex_sample_digests";
    tables.roots = "pg_temp.reindex_sample_roots";
    const auto start = std::chrono::steady_clock::now();
    const DigestCounts counts = digest_bundles(connection, hasher, generation, selection, tables);
    estimate.sample_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    estimate.sample_artifacts = counts.hashed;
    estimate.sample_bytes = counts.bytes;
    connection.exec("ROLLBACK");
  } catch (...) {
    connection.exec("ROLLBACK");
    throw;
  }
  if (estimate.sample_artifacts > 0 && estimate.sample_seconds > 0) {
    estimate.artifacts_per_second =
        static_cast<double>(estimate.sample_artifacts) / estimate.sample_seconds;
    estimate.seconds = static_cast<double>(plan.affected.artifacts) /
                       estimate.artifacts_per_second / estimate.effective_parallel;
  }
  return estimate;
}

std::string with_plan_message(const ReindexPlan& plan) {
  std::string message = "would give " + with_thousands(plan.affected.artifacts) + " artifacts in " +
                        with_thousands(plan.affected.bundles) + " bundles (" +
                        with_thousands(plan.affected.bytes) + " bytes) " + plan.algorithm +
                        " digests in generation " + std::to_string(plan.new_generation) + ", in " +
                        with_thousands(plan.batches) + (plan.batches == 1 ? " batch" : " batches");
  if (plan.seals_when_done) {
    message += ", then seal it and make it active";
  } else {
    message += "; " + with_thousands(plan.outside_since.artifacts) +
               " artifacts created before --since would remain uncovered, so it would not be "
               "sealed yet";
  }
  return message;
}

}  // namespace

ReindexPlan plan_reindex(const std::string& conninfo, PluginRegistry& registry,
                         const ReindexRequest& request) {
  const auto connection = PgConnection::connect(conninfo);
  connection->exec("SET jit = off");
  require_generations_schema(*connection, "reindex");
  ReindexPlan plan;
  plan.database = database_name(*connection);
  plan.schema_version = kGenerationsSchemaVersion;
  plan.new_schema_version = kGenerationsSchemaVersion;
  plan.batch_size = request.batch_size;
  plan.parallel = request.parallel;
  plan.since = request.since;
  std::optional<std::string> sample_lower;
  std::unique_ptr<OwnedHasher> hasher;
  int generation = 0;
  {
    ReadOnlySnapshot snapshot(*connection);
    plan.created_at = std::string(connection->exec("SELECT " + iso_utc_sql("now()")).get(0, 0));
    std::optional<std::string> algorithm = request.algorithm;
    if (request.resume && !algorithm) {
      if (const GenerationRecord* building = read_generations(*connection).building()) {
        algorithm = building->algorithm;
      }
    }
    const ReindexTarget target = resolve_reindex_target(*connection, algorithm);
    plan.algorithm = target.algorithm;
    plan.algorithm_source = target.algorithm_source;
    plan.current_generation = target.active.generation;
    plan.current_algorithm = target.active.algorithm;
    plan.new_generation = target.generation;
    generation = target.generation;
    const PgResult global =
        connection->exec("SELECT root FROM evidence.global_roots WHERE generation = $1",
                         {std::to_string(target.active.generation)});
    if (global.rows() > 0) {
      plan.current_global_root = global.get(0, 0);
    }
    if (target.action == ReindexAction::already_current) {
      plan.action = "nothing-to-do";
      plan.message = already_current_message(target);
      return plan;
    }
    hasher = std::make_unique<OwnedHasher>(writing_hasher(registry, target.algorithm));
    plan.hasher_source = hasher->source();
    plan.action =
        target.action == ReindexAction::start_new ? "start-generation" : "continue-generation";
    if (target.action == ReindexAction::continue_building && reindex_tables_exist(*connection)) {
      const std::optional<ReindexRunRecord> latest =
          latest_run_of_generation(*connection, generation);
      if (latest && latest->state == "running") {
        // A real invocation would join this run, with its settings.
        plan.joins_run = latest->run_id;
        plan.since = latest->since;
        plan.batch_size = latest->batch_size;
      }
    }
    BatchCutter cutter(plan.batch_size);
    scan_candidate_bundles(*connection, generation, plan.since,
                           [&](const CandidateBundle& bundle) { cutter.add(bundle); });
    const std::vector<PlannedBatch> batches = cutter.finish();
    plan.batches = static_cast<std::int64_t>(batches.size());
    if (!batches.empty()) {
      sample_lower = batches[batches.size() / 2].lower;
    }
    plan.affected = count_bundles(
        *connection,
        std::string("($2::timestamptz IS NULL OR b.created_at >= $2::timestamptz) AND ") +
            kLacksRoot,
        generation, plan.since);
    if (target.action == ReindexAction::continue_building) {
      plan.already_covered =
          count_bundles(*connection,
                        "$2::timestamptz IS NULL AND EXISTS (SELECT 1 FROM evidence.bundle_roots r "
                        "WHERE r.generation = $1::integer AND r.bundle_id = b.bundle_id OFFSET 0)",
                        generation, std::nullopt);
    }
    if (plan.since) {
      plan.outside_since = count_bundles(
          *connection, std::string("b.created_at < $2::timestamptz AND ") + kLacksRoot, generation,
          plan.since);
    }
    plan.seals_when_done = plan.outside_since.bundles == 0;
    plan.message = with_plan_message(plan);
  }
  plan.estimate = measure_sample(*connection, hasher->hasher(), generation, plan, sample_lower);
  return plan;
}

}  // namespace stella::host
