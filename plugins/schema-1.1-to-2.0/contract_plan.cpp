// plan of the contract step. It may be asked while the store is still at 1.0 (a dry-run of the
// whole path 1.0 -> 2.0 plans every step before any runs), so it counts only what 1.0 and 1.1
// share: tenants, bundles, artifacts. The index builds, the only work proportional to the store,
// are timed on a sample in a savepoint that is rolled back.
#include <chrono>

#include "contract_sql.hpp"
#include "contract_step.hpp"

namespace stella_schema_contract {
namespace {

/// Rows indexed for the timing sample.
constexpr std::int64_t kSampleRows = 1000;
constexpr const char* kSavepoint = "stella_contract_plan_sample";

struct StoreCounts {
  std::int64_t tenants = 0;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t inline_bytes = 0;
};

StoreCounts count_store(sdk::Database& database) {
  const sdk::QueryResult result = database.query(
      "SELECT (SELECT count(*) FROM evidence.tenants), (SELECT count(*) FROM evidence.bundles), "
      "(SELECT count(*) FROM evidence.artifacts), "
      "(SELECT coalesce(sum(size_bytes), 0) FROM evidence.artifacts)");
  const auto& row = result.rows.at(0);
  return StoreCounts{integer_value(row.at(0), "tenants"), integer_value(row.at(1), "bundles"),
                     integer_value(row.at(2), "artifacts"), integer_value(row.at(3), "bytes")};
}

struct IndexTimings {
  /// Seconds per row to build the two artifact indexes, and the bundle index.
  double artifact_seconds_per_row = 0;
  double bundle_seconds_per_row = 0;
};

template <typename Work>
double seconds_of(Work&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Builds the same indexes on a temporary sample of the store's keys, inside a savepoint that is
/// rolled back. Only on a 1.0 or 1.1 store (whose artifacts still carry their digest).
IndexTimings measure_index_builds(sdk::Database& database) {
  IndexTimings timings;
  const std::string version = store_version(database);
  if (version != "1.0" && version != kFromVersion) {
    return timings;
  }
  database.execute(std::string("SAVEPOINT ") + kSavepoint);
  try {
    const std::int64_t sampled = database.execute(
        "CREATE TEMPORARY TABLE stella_contract_sample ON COMMIT DROP AS "
        "SELECT a.bundle_id, a.path, b.tenant_id, a.digest AS content_address, b.created_at "
        "FROM evidence.artifacts a JOIN evidence.bundles b ON b.bundle_id = a.bundle_id LIMIT " +
        std::to_string(kSampleRows));
    if (sampled > 0) {
      const double artifact_seconds = seconds_of([&] {
        database.execute("CREATE INDEX ON stella_contract_sample (content_address)");
        database.execute("CREATE INDEX ON stella_contract_sample (tenant_id)");
      });
      const double bundle_seconds = seconds_of(
          [&] { database.execute("CREATE INDEX ON stella_contract_sample (created_at)"); });
      timings.artifact_seconds_per_row = artifact_seconds / static_cast<double>(sampled);
      timings.bundle_seconds_per_row = bundle_seconds / static_cast<double>(sampled);
    }
  } catch (...) {
    database.execute(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint);
    throw;
  }
  database.execute(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint);
  database.execute(std::string("RELEASE SAVEPOINT ") + kSavepoint);
  return timings;
}

std::vector<std::string> statements_between(std::size_t first, std::size_t end) {
  const std::vector<std::string> all = statement_list(sql::kUpStatements);
  return std::vector<std::string>(all.begin() + static_cast<std::ptrdiff_t>(first),
                                  all.begin() + static_cast<std::ptrdiff_t>(end));
}

/// Where each action's statements sit in sql::kUpStatements.
constexpr std::size_t kArtifactStatementsEnd = 5;
constexpr std::size_t kBundleStatementsEnd = 7;
constexpr std::size_t kRootStatementsEnd = 11;
constexpr std::size_t kSecurityStatementsEnd = 21;
constexpr std::size_t kAllStatements = std::size(sql::kUpStatements);
constexpr std::size_t kVersionStatements = 3;
static_assert(kSecurityStatementsEnd + kVersionStatements == kAllStatements,
              "the action boundaries above must follow sql::kUpStatements");

}  // namespace

sdk::StepPlan ContractStep::plan(sdk::StepContext& ctx) {
  sdk::Database& database = ctx.database();
  const StoreCounts counts = count_store(database);
  const IndexTimings timings = measure_index_builds(database);
  const std::string held_locks = "the locks taken by action 1, held until the step commits";
  const std::string exclusive_locks =
      "ACCESS EXCLUSIVE on evidence.tenants, evidence.bundles, evidence.artifacts, "
      "evidence.artifacts_next, evidence.tenant_roots, evidence.tenant_generation_roots, "
      "evidence.store_root, evidence.schema_version for the whole step (one transaction)";

  sdk::StepPlan plan;

  sdk::PlannedAction check;
  check.description = "check that the expand step copied every one of the " +
                      std::to_string(counts.artifacts) +
                      " artifacts, every bundle root and every inline attestation";
  check.statements = {sql::kLockForUp, sql::kUpPreflight};
  check.rows_affected = 0;
  check.locks = {exclusive_locks};
  check.estimated_seconds = 0;
  plan.actions.push_back(std::move(check));

  sdk::PlannedAction artifacts;
  artifacts.description = "drop the 1.0 evidence.artifacts (its " +
                          std::to_string(counts.inline_bytes) +
                          " inline bytes now live in evidence.contents), rename "
                          "evidence.artifacts_next to evidence.artifacts and index its " +
                          std::to_string(counts.artifacts) + " rows by content address and tenant";
  artifacts.statements = statements_between(0, kArtifactStatementsEnd);
  artifacts.rows_affected = counts.artifacts;
  artifacts.locks = {held_locks};
  artifacts.estimated_seconds =
      timings.artifact_seconds_per_row * static_cast<double>(counts.artifacts);
  plan.actions.push_back(std::move(artifacts));

  sdk::PlannedAction bundles;
  bundles.description =
      "drop the 1.0 columns evidence.bundles.bundle_root and .attestation (now "
      "in evidence.bundle_roots and evidence.attestations) and index the " +
      std::to_string(counts.bundles) + " bundles by creation time";
  bundles.statements = statements_between(kArtifactStatementsEnd, kBundleStatementsEnd);
  bundles.rows_affected = counts.bundles;
  bundles.locks = {held_locks};
  bundles.estimated_seconds = timings.bundle_seconds_per_row * static_cast<double>(counts.bundles);
  plan.actions.push_back(std::move(bundles));

  sdk::PlannedAction roots;
  roots.description =
      "replace the 1.0 evidence.tenant_roots by evidence.tenant_generation_roots (renamed "
      "evidence.tenant_roots) and drop evidence.store_root (now evidence.global_roots); catalog "
      "only, no row is rewritten";
  roots.statements = statements_between(kBundleStatementsEnd, kRootStatementsEnd);
  constexpr std::int64_t kStoreRootRows = 1;
  roots.rows_affected = counts.tenants + kStoreRootRows;
  roots.locks = {held_locks};
  roots.estimated_seconds = 0;
  plan.actions.push_back(std::move(roots));

  sdk::PlannedAction security;
  security.description =
      "enable row-level security with a tenant_isolation policy (stella.tenant setting) on "
      "evidence.tenants, bundles, artifacts, attestations and tenant_roots; catalog only";
  security.statements = statements_between(kRootStatementsEnd, kSecurityStatementsEnd);
  security.rows_affected = 0;
  security.locks = {held_locks};
  security.estimated_seconds = 0;
  plan.actions.push_back(std::move(security));

  sdk::PlannedAction version;
  version.description =
      "set the schema comment, keep the 1.1 version row in "
      "evidence.schema_version_history, set the version to 2.0";
  version.statements = statements_between(kSecurityStatementsEnd, kAllStatements);
  constexpr std::int64_t kVersionRows = 2;
  version.rows_affected = kVersionRows;
  version.locks = {held_locks};
  version.estimated_seconds = 0;
  plan.actions.push_back(std::move(version));
  return plan;
}

}  // namespace stella_schema_contract
