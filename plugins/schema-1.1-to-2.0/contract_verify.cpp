// verify of the contract step: the migrated catalog is exactly the catalog of a store created at
// 2.0, and the data the 2.0 layout relies on is complete.
#include "catalog_description.hpp"
#include "contract_sql.hpp"
#include "contract_step.hpp"
#include "target_schema_sql.hpp"

namespace stella_schema_contract {
namespace {

constexpr const char* kEvidenceSchema = "evidence";
constexpr const char* kSavepoint = "stella_contract_catalog_check";
/// The migrated schema steps aside under this name while a fresh 2.0 schema is built to compare.
constexpr const char* kAsideName = "stella_migrated_evidence";
/// Problems listed per check; the rest are counted.
constexpr std::size_t kMaxListedPerCheck = 10;

/// The catalog of a fresh 2.0 store, built on the side within the caller's transaction and rolled
/// back: the migrated schema is renamed out of the way, the 2.0 DDL runs, its catalog is read.
std::vector<std::string> fresh_catalog(sdk::Database& database) {
  database.execute(std::string("SAVEPOINT ") + kSavepoint);
  std::vector<std::string> lines;
  try {
    database.execute(std::string("ALTER SCHEMA ") + kEvidenceSchema + " RENAME TO " + kAsideName);
    database.execute_script(kTargetSchemaSql);
    lines = describe_catalog(database, kEvidenceSchema);
  } catch (...) {
    database.execute(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint);
    throw;
  }
  database.execute(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint);
  database.execute(std::string("RELEASE SAVEPOINT ") + kSavepoint);
  return lines;
}

struct DataCheck {
  const char* subject;
  /// One text row per problem; $1 is a row limit.
  const char* sql;
};

const DataCheck kDataChecks[] = {
    {"version", R"SQL(SELECT format('evidence.schema_version is %s; expected 2.0', version)
FROM evidence.schema_version WHERE version <> '2.0'
UNION ALL
SELECT format('evidence.schema_version_history has no %s row', v)
FROM unnest(ARRAY['1.0', '1.1']) AS v
WHERE NOT EXISTS (SELECT 1 FROM evidence.schema_version_history h WHERE h.version = v)
LIMIT $1)SQL"},
    {"artifact digests", R"SQL(SELECT format('artifact %s/%s: %s', a.bundle_id, a.path,
  CASE WHEN d.digest IS NULL THEN 'no generation-1 digest'
  ELSE format('generation-1 digest %s is not its content address %s', d.digest, a.content_address) END)
FROM evidence.artifacts a
LEFT JOIN evidence.artifact_digests d
  ON d.generation = 1 AND d.bundle_id = a.bundle_id AND d.path = a.path
WHERE d.digest IS DISTINCT FROM a.content_address
ORDER BY a.bundle_id, a.path LIMIT $1)SQL"},
    {"artifact tenants",
     R"SQL(SELECT format('artifact %s/%s names tenant %s; its bundle belongs to %s',
  a.bundle_id, a.path, a.tenant_id, b.tenant_id)
FROM evidence.artifacts a JOIN evidence.bundles b ON b.bundle_id = a.bundle_id
WHERE a.tenant_id <> b.tenant_id
ORDER BY a.bundle_id, a.path LIMIT $1)SQL"},
    {"bundle roots", R"SQL(SELECT format('bundle %s has no generation-1 root', b.bundle_id)
FROM evidence.bundles b
WHERE NOT EXISTS (SELECT 1 FROM evidence.bundle_roots r WHERE r.generation = 1 AND r.bundle_id = b.bundle_id)
ORDER BY b.bundle_id LIMIT $1)SQL"},
    {"global root", R"SQL(SELECT 'generation 1 has no global root'
WHERE NOT EXISTS (SELECT 1 FROM evidence.global_roots WHERE generation = 1)
LIMIT $1)SQL"},
};

void add_limited(std::vector<std::string>& problems, const std::vector<std::string>& found,
                 const std::string& subject) {
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i == kMaxListedPerCheck) {
      problems.push_back("... and " + std::to_string(found.size() - kMaxListedPerCheck) +
                         " more problems of " + subject);
      break;
    }
    problems.push_back(found[i]);
  }
}

}  // namespace

sdk::VerifyOutcome ContractStep::verify(sdk::StepContext& ctx) {
  sdk::Database& database = ctx.database();
  sdk::VerifyOutcome outcome;

  const std::vector<std::string> expected = fresh_catalog(database);
  const std::vector<std::string> actual = describe_catalog(database, kEvidenceSchema);
  std::vector<std::string> differences = catalog_differences(expected, actual);
  for (auto& difference : differences) {
    difference = "catalog differs from a store created at 2.0: " + difference;
  }
  add_limited(outcome.problems, differences, "the catalog");

  for (const DataCheck& check : kDataChecks) {
    const sdk::QueryResult result =
        database.query(check.sql, {std::to_string(kMaxListedPerCheck + 1)});
    std::vector<std::string> found;
    for (const auto& row : result.rows) {
      found.push_back(row.at(0).value_or("(no description)"));
    }
    if (found.size() > kMaxListedPerCheck) {
      found.resize(kMaxListedPerCheck);
      found.push_back(std::string("... and more problems of ") + check.subject);
    }
    outcome.problems.insert(outcome.problems.end(), found.begin(), found.end());
  }
  outcome.ok = outcome.problems.empty();
  ctx.log(sdk::LogLevel::info,
          outcome.ok ? "verified the 2.0 store: its catalog equals a store created at 2.0 (" +
                           std::to_string(actual.size()) + " catalog entries compared)"
                     : "verification of the 2.0 store found " +
                           std::to_string(outcome.problems.size()) + " problems");
  return outcome;
}

}  // namespace stella_schema_contract
