// up and down of the contract step.
#include "contract_step.hpp"

#include <optional>

#include "contract_checkpoint.hpp"
#include "contract_sql.hpp"
#include "stella/sdk/error.hpp"

namespace stella_schema_contract {
namespace {

/// Bundle ids and paths are never empty, so every row is after ("", "") in key order.
constexpr const char* kBeforeFirstKey = "";

enum UpPreflightColumn {
  kArtifactsWithoutCopy = 0,
  kCopiesWithoutArtifact = 1,
  kBundlesWithoutRoot = 2,
  kAttestationsNotMoved = 3,
};

enum DownPreflightColumn {
  kOtherGenerations = 0,
  kGenerationOneNotSha256 = 1,
  kExtraAttestations = 2,
  kRootTransitions = 3,
  kArtifactsWithoutDigest = 4,
  kBundlesWithoutGenerationOneRoot = 5,
  kGlobalRootsOfGenerationOne = 6,
};

enum RestoreArtifactColumn { kArtifactsRestored = 0, kLastBundle = 1, kLastPath = 2 };
enum RestoreBundleColumn { kBundlesRestored = 0, kLastBundleId = 1 };

/// Appends "<count> <what>" to `problems` when count is not zero.
void note(std::vector<std::string>& problems, std::int64_t count, const std::string& what) {
  if (count != 0) {
    problems.push_back(std::to_string(count) + " " + what);
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : "; ") + item;
  }
  return text;
}

void check_expand_complete(sdk::Database& database) {
  const sdk::QueryResult result = database.query(sql::kUpPreflight);
  const auto& row = result.rows.at(0);
  std::vector<std::string> problems;
  note(problems, integer_value(row.at(kArtifactsWithoutCopy), "artifacts without copy"),
       "artifacts of evidence.artifacts have no copy in evidence.artifacts_next");
  note(problems, integer_value(row.at(kCopiesWithoutArtifact), "copies without artifact"),
       "rows of evidence.artifacts_next match no artifact");
  note(problems, integer_value(row.at(kBundlesWithoutRoot), "bundles without root"),
       "bundles have no generation-1 root in evidence.bundle_roots");
  note(problems, integer_value(row.at(kAttestationsNotMoved), "attestations not moved"),
       "inline attestations are not in evidence.attestations");
  if (!problems.empty()) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the 1.1 store is not a complete copy of the 1.0 data, so the 1.0 tables "
                     "cannot be dropped: " +
                         joined(problems),
                     "rows the expand step did not copy are usually orphans (an artifact whose "
                     "bundle does not exist, a bundle whose tenant does not exist). The migration "
                     "rolls itself back after this failure; if it did not, undo it with `stella "
                     "evidence migrate --rollback --from-version 1.1`. Then, on the 1.0 store, "
                     "list them with `stella evidence orphans --list`, move them out with "
                     "`stella evidence orphans --quarantine`, and migrate again");
  }
}

void check_down_possible(sdk::Database& database) {
  const sdk::QueryResult result = database.query(sql::kDownPreflight);
  const auto& row = result.rows.at(0);
  std::vector<std::string> problems;
  note(problems, integer_value(row.at(kOtherGenerations), "other generations"),
       "digest generations besides generation 1 exist (a reindex added them; schema 1.0 holds "
       "only sha256 digests)");
  note(problems, integer_value(row.at(kGenerationOneNotSha256), "generation 1 algorithm"),
       "generation 1 is not sha256");
  note(problems, integer_value(row.at(kExtraAttestations), "extra attestations"),
       "attestations beyond the first of their bundle exist (schema 1.0 holds one per bundle)");
  note(problems, integer_value(row.at(kRootTransitions), "root transitions"),
       "root transitions are recorded");
  note(problems, integer_value(row.at(kArtifactsWithoutDigest), "artifacts without digest"),
       "artifacts have no generation-1 digest");
  note(problems, integer_value(row.at(kBundlesWithoutGenerationOneRoot), "bundles without root"),
       "bundles have no generation-1 root");
  if (integer_value(row.at(kGlobalRootsOfGenerationOne), "global roots") != 1) {
    problems.push_back("generation 1 has no global root");
  }
  if (!problems.empty()) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "this 2.0 store holds what schema 1.0 cannot, so rolling it back would lose "
                     "evidence: " +
                         joined(problems),
                     "keep the store at 2.0, or restore the pre-migration backup (runbook: "
                     "\"Restore from Backup\")");
  }
}

struct WorkCount {
  std::int64_t total = 0;
  std::int64_t done = 0;
};

WorkCount count_restore_work(sdk::Database& database) {
  const sdk::QueryResult result = database.query(
      "SELECT (SELECT count(*) FROM evidence.artifacts_next) + "
      "(SELECT count(*) FROM evidence.bundles), "
      "(SELECT count(*) FROM evidence.artifacts) + "
      "(SELECT count(*) FROM evidence.bundles WHERE bundle_root IS NOT NULL)");
  return WorkCount{integer_value(result.rows.at(0).at(0), "rows to restore"),
                   integer_value(result.rows.at(0).at(1), "rows restored")};
}

[[noreturn]] void throw_cancelled(std::int64_t done) {
  throw sdk::Error(sdk::ErrorCode::cancelled,
                   "rolling back the contract step (2.0 -> 1.1) was cancelled after " +
                       std::to_string(done) + " rows were restored",
                   "continue it with `stella evidence migrate --resume`");
}

void restore_artifacts(sdk::StepContext& ctx, std::string bundle_id, std::string path,
                       WorkCount& work) {
  sdk::Database& database = ctx.database();
  const std::int64_t batch_size = ctx.batch_size();
  for (;;) {
    if (ctx.cancelled()) {
      throw_cancelled(work.done);
    }
    const sdk::QueryResult result =
        database.query(sql::kRestoreArtifactBatch, {bundle_id, path, std::to_string(batch_size)});
    const auto& row = result.rows.at(0);
    const std::int64_t restored = integer_value(row.at(kArtifactsRestored), "artifacts restored");
    if (restored == 0) {
      break;
    }
    bundle_id = row.at(kLastBundle).value_or("");
    path = row.at(kLastPath).value_or("");
    work.done += restored;
    ctx.progress(static_cast<std::uint64_t>(work.done), static_cast<std::uint64_t>(work.total));
    ctx.commit_batch(
        format_checkpoint(RestoreCheckpoint{RestorePhase::artifacts, bundle_id, path}));
    if (restored < batch_size) {
      break;
    }
  }
}

void restore_bundles(sdk::StepContext& ctx, std::string bundle_id, WorkCount& work) {
  sdk::Database& database = ctx.database();
  const std::int64_t batch_size = ctx.batch_size();
  for (;;) {
    if (ctx.cancelled()) {
      throw_cancelled(work.done);
    }
    const sdk::QueryResult result =
        database.query(sql::kRestoreBundleBatch, {bundle_id, std::to_string(batch_size)});
    const auto& row = result.rows.at(0);
    const std::int64_t restored = integer_value(row.at(kBundlesRestored), "bundles restored");
    if (restored == 0) {
      break;
    }
    bundle_id = row.at(kLastBundleId).value_or("");
    work.done += restored;
    ctx.progress(static_cast<std::uint64_t>(work.done), static_cast<std::uint64_t>(work.total));
    ctx.commit_batch(format_checkpoint(RestoreCheckpoint{RestorePhase::bundles, bundle_id, {}}));
    if (restored < batch_size) {
      break;
    }
  }
}

}  // namespace

std::int64_t integer_value(const sdk::SqlValue& value, std::string_view what) {
  if (!value) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "the store returned NULL for " + std::string(what) + "; expected a number");
  }
  try {
    return std::stoll(*value);
  } catch (const std::exception&) {
    throw sdk::Error(sdk::ErrorCode::internal, "the store returned '" + *value + "' for " +
                                                   std::string(what) + "; expected a number");
  }
}

std::string store_version(sdk::Database& database) {
  const sdk::QueryResult result = database.query(sql::kStoreVersion);
  if (result.rows.size() != 1 || !result.rows[0].at(0)) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "evidence.schema_version holds " + std::to_string(result.rows.size()) +
                         " rows; expected exactly one",
                     "the store is damaged; restore it from a backup");
  }
  return *result.rows[0][0];
}

bool table_exists(sdk::Database& database, std::string_view qualified_name) {
  const sdk::QueryResult result = database.query(sql::kTableExists, {std::string(qualified_name)});
  return result.rows.at(0).at(0).value_or("f") == "t";
}

void ContractStep::up(sdk::StepContext& ctx) {
  sdk::Database& database = ctx.database();
  const std::string version = store_version(database);
  if (version != kFromVersion) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store is at schema " + version + "; the contract step moves schema " +
                         kFromVersion + " to " + kToVersion,
                     "run the expand step (schema-1.0-to-1.1) first; `stella evidence migrate "
                     "--from-version 1.0 --to-version 2.0` chains both");
  }
  database.execute(sql::kLockForUp);
  check_expand_complete(database);
  execute_all(database, sql::kUpStatements);
  ctx.log(sdk::LogLevel::info,
          "dropped the 1.0 tables and columns, renamed the 2.0 tables, enabled row-level "
          "security; store at 2.0");
}

void ContractStep::down(sdk::StepContext& ctx) {
  sdk::Database& database = ctx.database();
  std::optional<RestoreCheckpoint> checkpoint;
  if (const auto text = ctx.resume_checkpoint()) {
    checkpoint = parse_checkpoint(*text);
    ctx.log(sdk::LogLevel::info, "resuming the rollback after checkpoint '" + *text + "'");
  } else {
    const std::string version = store_version(database);
    if (version != kToVersion) {
      // Up is one transaction: when it failed, it left nothing behind.
      ctx.log(sdk::LogLevel::info, "nothing to undo: the store is at " + version +
                                       ", the contract step never committed");
      return;
    }
    check_down_possible(database);
    database.execute(sql::kLockForDown);
    execute_all(database, sql::kDownSchemaStatements);
    ctx.commit_batch(format_checkpoint(RestoreCheckpoint{RestorePhase::schema_restored, {}, {}}));
    checkpoint = RestoreCheckpoint{RestorePhase::schema_restored, {}, {}};
  }

  WorkCount work = count_restore_work(database);
  if (checkpoint->phase != RestorePhase::bundles) {
    const bool started = checkpoint->phase == RestorePhase::artifacts;
    restore_artifacts(ctx, started ? checkpoint->bundle_id : kBeforeFirstKey,
                      started ? checkpoint->path : kBeforeFirstKey, work);
  }
  restore_bundles(
      ctx, checkpoint->phase == RestorePhase::bundles ? checkpoint->bundle_id : kBeforeFirstKey,
      work);

  execute_all(database, sql::kDownFinishStatements);
  if (database.execute(sql::kRestoreVersionRow) != 1) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "evidence.schema_version_history has no 1.1 row to restore",
                     "the store is damaged; restore it from a backup");
  }
  database.execute(sql::kForgetVersionRow);
  const std::string restored = store_version(database);
  if (restored != kFromVersion) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "after undoing the contract step the store reports "
                     "schema " +
                         restored + "; expected " + kFromVersion);
  }
  ctx.log(sdk::LogLevel::info,
          "rebuilt the 1.0 tables and columns from the 2.0 data; store back at 1.1");
}

}  // namespace stella_schema_contract
