// up and down of the expand step.
#include "expand_step.hpp"

#include <optional>

#include "expand_checkpoint.hpp"
#include "expand_sql.hpp"
#include "stella/sdk/error.hpp"

namespace stella_schema_expand {
namespace {

/// Keys start below every real key: bundle ids and paths are never empty, so every row is after
/// ("", "") in (bundle_id, path) order.
constexpr const char* kBeforeFirstKey = "";

/// Columns of kCopyArtifactBatch's result.
enum ArtifactBatchColumn {
  kArtifactsCopied = 0,
  kContentsStored = 1,
  kLastBundle = 3,
  kLastPath = 4
};
/// Columns of kCopyBundleBatch's result.
enum BundleBatchColumn { kBundlesCopied = 0, kAttestationsMoved = 1, kLastBundleId = 2 };

[[noreturn]] void throw_cancelled(std::string_view phase, std::int64_t done) {
  throw sdk::Error(sdk::ErrorCode::cancelled,
                   "the expand step (1.0 -> 1.1) was cancelled while copying " +
                       std::string(phase) + ", after " + std::to_string(done) +
                       " rows were committed",
                   "the host rolls the run back; run the migration again when ready");
}

/// How much work the step has in total, and how much of it a resumed run already did.
struct WorkCount {
  std::int64_t total = 0;
  std::int64_t done = 0;
};

WorkCount count_work(sdk::Database& database) {
  const sdk::QueryResult result = database.query(
      "SELECT (SELECT count(*) FROM evidence.artifacts) + (SELECT count(*) FROM evidence.bundles), "
      "(SELECT count(*) FROM evidence.artifacts_next) + (SELECT count(*) FROM "
      "evidence.bundle_roots)");
  return WorkCount{integer_value(result.rows.at(0).at(0), "rows to copy"),
                   integer_value(result.rows.at(0).at(1), "rows copied")};
}

void create_tables(sdk::StepContext& ctx) {
  sdk::Database& database = ctx.database();
  const std::string version = store_version(database);
  if (version != kFromVersion) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store is at schema " + version + "; the expand step moves schema " +
                         kFromVersion + " to " + kToVersion,
                     "check the store's version with `stella evidence migrate --status`");
  }
  if (table_exists(database, "evidence.contents")) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store is at schema 1.0 but already has evidence.contents: an earlier, "
                     "interrupted expand step left its tables behind",
                     "finish or undo that run first: `stella evidence migrate --resume` or "
                     "`stella evidence migrate --rollback --from-version 1.0`");
  }
  execute_all(database, sql::kCreateStatements);
  ctx.log(sdk::LogLevel::info, "created the 2.0 tables beside the 1.0 tables");
  ctx.commit_batch(format_checkpoint(ExpandCheckpoint{ExpandPhase::schema_created, {}, {}}));
}

/// "copied N …" of a resumed copy counts only this session's rows; said so, lest the operator read
/// the smaller number as rows lost.
std::string copied_words(std::int64_t copied_here, const char* what, bool resumed) {
  return std::string("copied ") + (resumed ? "the remaining " : "") + std::to_string(copied_here) +
         " " + what + (resumed ? " (the others were copied before the interruption)" : "");
}

void copy_artifacts(sdk::StepContext& ctx, std::string bundle_id, std::string path, WorkCount& work,
                    bool resumed) {
  sdk::Database& database = ctx.database();
  const std::int64_t batch_size = ctx.batch_size();
  std::int64_t copied_here = 0;
  std::int64_t contents_here = 0;
  for (;;) {
    if (ctx.cancelled()) {
      throw_cancelled("artifacts", work.done);
    }
    const sdk::QueryResult result =
        database.query(sql::kCopyArtifactBatch, {bundle_id, path, std::to_string(batch_size)});
    const auto& row = result.rows.at(0);
    const std::int64_t copied = integer_value(row.at(kArtifactsCopied), "artifacts copied");
    if (copied == 0) {
      break;
    }
    contents_here += integer_value(row.at(kContentsStored), "contents stored");
    copied_here += copied;
    bundle_id = row.at(kLastBundle).value_or("");
    path = row.at(kLastPath).value_or("");
    work.done += copied;
    ctx.progress(static_cast<std::uint64_t>(work.done), static_cast<std::uint64_t>(work.total));
    ctx.commit_batch(format_checkpoint(ExpandCheckpoint{ExpandPhase::artifacts, bundle_id, path}));
    if (copied < batch_size) {
      break;
    }
  }
  ctx.log(sdk::LogLevel::info, copied_words(copied_here, "artifacts", resumed) +
                                   " into content-addressed storage (" +
                                   std::to_string(contents_here) + " distinct contents stored)");
}

void copy_bundles(sdk::StepContext& ctx, std::string bundle_id, WorkCount& work, bool resumed) {
  sdk::Database& database = ctx.database();
  const std::int64_t batch_size = ctx.batch_size();
  std::int64_t copied_here = 0;
  std::int64_t moved_here = 0;
  for (;;) {
    if (ctx.cancelled()) {
      throw_cancelled("bundles", work.done);
    }
    const sdk::QueryResult result =
        database.query(sql::kCopyBundleBatch, {bundle_id, std::to_string(batch_size)});
    const auto& row = result.rows.at(0);
    const std::int64_t copied = integer_value(row.at(kBundlesCopied), "bundles copied");
    if (copied == 0) {
      break;
    }
    moved_here += integer_value(row.at(kAttestationsMoved), "attestations moved");
    copied_here += copied;
    bundle_id = row.at(kLastBundleId).value_or("");
    work.done += copied;
    ctx.progress(static_cast<std::uint64_t>(work.done), static_cast<std::uint64_t>(work.total));
    ctx.commit_batch(format_checkpoint(ExpandCheckpoint{ExpandPhase::bundles, bundle_id, {}}));
    if (copied < batch_size) {
      break;
    }
  }
  ctx.log(sdk::LogLevel::info, copied_words(copied_here, "bundle roots", resumed) +
                                   " as generation 1 and moved " + std::to_string(moved_here) +
                                   " attestations");
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

void ExpandStep::up(sdk::StepContext& ctx) {
  std::optional<ExpandCheckpoint> checkpoint;
  if (const auto text = ctx.resume_checkpoint()) {
    checkpoint = parse_checkpoint(*text);
    ctx.log(sdk::LogLevel::info, "resuming after checkpoint '" + *text + "'");
  } else {
    create_tables(ctx);
    checkpoint = ExpandCheckpoint{ExpandPhase::schema_created, {}, {}};
  }

  WorkCount work = count_work(ctx.database());
  if (checkpoint->phase != ExpandPhase::bundles) {
    const bool started = checkpoint->phase == ExpandPhase::artifacts;
    copy_artifacts(ctx, started ? checkpoint->bundle_id : kBeforeFirstKey,
                   started ? checkpoint->path : kBeforeFirstKey, work, started);
  }
  const bool bundles_started = checkpoint->phase == ExpandPhase::bundles;
  copy_bundles(ctx, bundles_started ? checkpoint->bundle_id : kBeforeFirstKey, work,
               bundles_started);

  // The host commits this last part together with the step's completion and its audit event.
  execute_all(ctx.database(), sql::kFinishStatements);
  ctx.log(sdk::LogLevel::info, "recorded generation-1 tenant and global roots; store at 1.1");
}

void ExpandStep::down(sdk::StepContext& ctx) {
  sdk::Database& database = ctx.database();
  const std::string version = store_version(database);
  if (version != kFromVersion && version != kToVersion) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store is at schema " + version + "; the expand step can only take a " +
                         kToVersion + " store (or a partly expanded " + kFromVersion +
                         " store) back to " + kFromVersion,
                     "roll back the later steps first (`stella evidence migrate --status` shows "
                     "them)");
  }
  execute_all(database, sql::kDropStatements);
  if (table_exists(database, "evidence.schema_version_history")) {
    if (version == kToVersion && database.execute(sql::kRestoreVersionRow) != 1) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "the store is at 1.1 but evidence.schema_version_history has no 1.0 row to "
                       "restore",
                       "the store is damaged; restore it from a backup");
    }
    database.execute(sql::kDropHistory);
  }
  const std::string restored = store_version(database);
  if (restored != kFromVersion) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "after undoing the expand step the store reports schema " + restored +
                         "; expected " + kFromVersion);
  }
  ctx.log(sdk::LogLevel::info, "dropped the 2.0 tables; store back at 1.0");
}

}  // namespace stella_schema_expand
