// plan of the expand step: what up() will do, counted on the live store, with durations measured
// by doing a sample of the real work inside a savepoint that is rolled back.
#include <algorithm>
#include <chrono>

#include "expand_sql.hpp"
#include "expand_step.hpp"
#include "stella/sdk/error.hpp"

namespace stella_schema_expand {
namespace {

/// Rows of each kind copied for the timing sample. Large enough to time reliably, small enough
/// that a dry-run stays quick on any store.
constexpr std::int64_t kSampleRows = 1000;
constexpr const char* kSavepoint = "stella_expand_plan_sample";

struct StoreCounts {
  std::int64_t tenants = 0;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
  std::int64_t distinct_digests = 0;
  std::int64_t attestations = 0;
};

StoreCounts count_store(sdk::Database& database) {
  const sdk::QueryResult result = database.query(
      "SELECT (SELECT count(*) FROM evidence.tenants), (SELECT count(*) FROM evidence.bundles), "
      "(SELECT count(*) FROM evidence.artifacts), "
      "(SELECT coalesce(sum(size_bytes), 0) FROM evidence.artifacts), "
      "(SELECT count(DISTINCT digest) FROM evidence.artifacts), "
      "(SELECT count(*) FROM evidence.bundles WHERE attestation IS NOT NULL)");
  const auto& row = result.rows.at(0);
  return StoreCounts{
      integer_value(row.at(0), "tenants"),          integer_value(row.at(1), "bundles"),
      integer_value(row.at(2), "artifacts"),        integer_value(row.at(3), "bytes"),
      integer_value(row.at(4), "distinct digests"), integer_value(row.at(5), "attestations")};
}

/// Seconds the real work took on a sample, per phase.
struct SampleTimings {
  double create_seconds = 0;
  double artifact_seconds = 0;
  std::int64_t artifact_rows = 0;
  double bundle_seconds = 0;
  std::int64_t bundle_rows = 0;
  double finish_seconds = 0;
};

template <typename Work>
double seconds_of(Work&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Runs the DDL, one artifact batch, one bundle batch and the finish statements on the live store
/// inside a savepoint, and rolls them back. Only possible on a 1.0 store that has not been
/// expanded yet; otherwise nothing is measured.
SampleTimings measure_sample(sdk::Database& database) {
  SampleTimings timings;
  if (store_version(database) != kFromVersion || table_exists(database, "evidence.contents")) {
    return timings;
  }
  database.execute(std::string("SAVEPOINT ") + kSavepoint);
  try {
    timings.create_seconds = seconds_of([&] { execute_all(database, sql::kCreateStatements); });
    timings.artifact_seconds = seconds_of([&] {
      const auto result =
          database.query(sql::kCopyArtifactBatch, {"", "", std::to_string(kSampleRows)});
      timings.artifact_rows = integer_value(result.rows.at(0).at(0), "sample artifacts");
    });
    timings.bundle_seconds = seconds_of([&] {
      const auto result = database.query(sql::kCopyBundleBatch, {"", std::to_string(kSampleRows)});
      timings.bundle_rows = integer_value(result.rows.at(0).at(0), "sample bundles");
    });
    timings.finish_seconds = seconds_of([&] { execute_all(database, sql::kFinishStatements); });
  } catch (...) {
    database.execute(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint);
    throw;
  }
  database.execute(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint);
  database.execute(std::string("RELEASE SAVEPOINT ") + kSavepoint);
  return timings;
}

double extrapolate(double sample_seconds, std::int64_t sample_rows, std::int64_t total_rows) {
  if (sample_rows <= 0) {
    return 0;
  }
  return sample_seconds * static_cast<double>(total_rows) / static_cast<double>(sample_rows);
}

std::string batches_text(std::int64_t rows, std::int64_t batch_size) {
  const std::int64_t batches = batch_size > 0 ? (rows + batch_size - 1) / batch_size : 0;
  return std::to_string(batches) + (batches == 1 ? " batch" : " batches") + " of at most " +
         std::to_string(batch_size);
}

}  // namespace

sdk::StepPlan ExpandStep::plan(sdk::StepContext& ctx) {
  sdk::Database& database = ctx.database();
  const StoreCounts counts = count_store(database);
  const SampleTimings sample = measure_sample(database);
  const std::int64_t batch_size = ctx.batch_size();

  sdk::StepPlan plan;

  sdk::PlannedAction create;
  create.description =
      "create the 2.0 tables beside the 1.0 tables (schema 1.1): schema_version_history, "
      "digest_generations with generation 1 (sha256, sealed, active), contents, artifacts_next, "
      "artifact_digests, attestations, bundle_roots, tenant_generation_roots, global_roots, "
      "root_transitions, root_cross_references; no 1.0 table or row is changed";
  create.statements = statement_list(sql::kCreateStatements);
  create.rows_affected = 1;
  create.locks = {"ACCESS EXCLUSIVE on each new table (created in this transaction)",
                  "SHARE ROW EXCLUSIVE on evidence.tenants, evidence.bundles, "
                  "evidence.signing_keys (foreign keys to them are created)"};
  create.estimated_seconds = sample.create_seconds;
  plan.actions.push_back(std::move(create));

  sdk::PlannedAction artifacts;
  artifacts.description =
      "copy " + std::to_string(counts.artifacts) + " artifacts (" + std::to_string(counts.bytes) +
      " bytes) in " + batches_text(counts.artifacts, batch_size) +
      ", each its own transaction with a checkpoint: bytes into evidence.contents addressed by "
      "their SHA-256 computed from the bytes (about " +
      std::to_string(counts.distinct_digests) +
      " distinct contents by their recorded digests), rows into evidence.artifacts_next, 1.0 "
      "digests into evidence.artifact_digests as generation 1";
  artifacts.statements = {sql::kCopyArtifactBatch};
  artifacts.rows_affected = counts.artifacts;
  artifacts.locks = {
      "ROW EXCLUSIVE on evidence.contents, evidence.artifacts_next, "
      "evidence.artifact_digests",
      "ACCESS SHARE on evidence.artifacts, evidence.bundles (read only)",
      "FOR KEY SHARE on the referenced rows of evidence.bundles, evidence.tenants "
      "(foreign key checks)"};
  artifacts.batched = true;
  artifacts.estimated_seconds =
      extrapolate(sample.artifact_seconds, sample.artifact_rows, counts.artifacts);
  plan.actions.push_back(std::move(artifacts));

  sdk::PlannedAction bundles;
  bundles.description = "copy " + std::to_string(counts.bundles) +
                        " bundle roots into evidence.bundle_roots as generation 1 and move " +
                        std::to_string(counts.attestations) +
                        " inline DSSE attestations into evidence.attestations (attestation 1 of "
                        "each bundle), in " +
                        batches_text(counts.bundles, batch_size);
  bundles.statements = {sql::kCopyBundleBatch};
  bundles.rows_affected = counts.bundles + counts.attestations;
  bundles.locks = {"ROW EXCLUSIVE on evidence.bundle_roots, evidence.attestations",
                   "ACCESS SHARE on evidence.bundles, evidence.signing_keys (read only)"};
  bundles.batched = true;
  bundles.estimated_seconds =
      extrapolate(sample.bundle_seconds, sample.bundle_rows, counts.bundles);
  plan.actions.push_back(std::move(bundles));

  sdk::PlannedAction finish;
  finish.description = "record the " + std::to_string(counts.tenants) +
                       " tenant roots and the global root as generation 1, keep the 1.0 version "
                       "row in evidence.schema_version_history, set the version to 1.1";
  finish.statements = statement_list(sql::kFinishStatements);
  constexpr std::int64_t kGlobalAndVersionRows = 3;
  finish.rows_affected = counts.tenants + kGlobalAndVersionRows;
  finish.locks = {
      "ROW EXCLUSIVE on evidence.tenant_generation_roots, evidence.global_roots, "
      "evidence.schema_version_history, evidence.schema_version"};
  finish.estimated_seconds = sample.finish_seconds;
  plan.actions.push_back(std::move(finish));
  return plan;
}

}  // namespace stella_schema_expand
