// SQL of the reindex work table.
#include "reindex/work_table.hpp"

#include "reindex/copy_text.hpp"
#include "reindex/iso_utc_sql.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Candidate bundles fetched per round trip while planning.
constexpr int kCandidateFetchRows = 10000;

std::string run_columns() {
  return "run_id, generation, from_generation, algorithm, from_algorithm, " + iso_utc_sql("since") +
         ", batch_size, planned_batches, planned_bundles, planned_artifacts, planned_bytes, " +
         iso_utc_sql("started_at") + ", started_by, state, " + iso_utc_sql("finished_at") +
         ", missing_bundles, missing_artifacts";
}

std::optional<std::int64_t> optional_int(const PgResult& rows, int row, int column) {
  if (rows.is_null(row, column)) {
    return std::nullopt;
  }
  return rows.get_int64(row, column);
}

ReindexRunRecord run_from(const PgResult& rows, int r) {
  ReindexRunRecord run;
  run.run_id = rows.get_int64(r, 0);
  run.generation = static_cast<int>(rows.get_int64(r, 1));
  run.from_generation = static_cast<int>(rows.get_int64(r, 2));
  run.algorithm = rows.get(r, 3);
  run.from_algorithm = rows.get(r, 4);
  run.since = rows.get_optional(r, 5);
  run.batch_size = rows.get_int64(r, 6);
  run.planned_batches = rows.get_int64(r, 7);
  run.planned_bundles = rows.get_int64(r, 8);
  run.planned_artifacts = rows.get_int64(r, 9);
  run.planned_bytes = rows.get_int64(r, 10);
  run.started_at = rows.get(r, 11);
  run.started_by = rows.get(r, 12);
  run.state = rows.get(r, 13);
  run.finished_at = rows.get_optional(r, 14);
  run.missing_bundles = optional_int(rows, r, 15);
  run.missing_artifacts = optional_int(rows, r, 16);
  return run;
}

std::optional<ReindexRunRecord> first_run(const PgResult& rows) {
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  return run_from(rows, 0);
}

void append_optional_field(std::string& row, const std::optional<std::string>& value) {
  if (value) {
    append_copy_field(row, *value, false);
  } else {
    row.append("\t\\N");
  }
}

}  // namespace

std::optional<ReindexRunRecord> latest_run_of_generation(PgConnection& connection, int generation) {
  return first_run(connection.exec("SELECT " + run_columns() +
                                       " FROM stella.reindex_runs WHERE generation = $1 "
                                       "ORDER BY run_id DESC LIMIT 1",
                                   {std::to_string(generation)}));
}

std::optional<ReindexRunRecord> latest_run(PgConnection& connection) {
  return first_run(connection.exec("SELECT " + run_columns() +
                                   " FROM stella.reindex_runs ORDER BY run_id DESC LIMIT 1"));
}

void scan_candidate_bundles(PgConnection& connection, int generation,
                            const std::optional<std::string>& since,
                            const std::function<void(const CandidateBundle&)>& on_bundle) {
  connection.exec(
      "DECLARE reindex_candidates NO SCROLL CURSOR FOR "
      "SELECT b.bundle_id, count(a.path), coalesce(sum(a.size_bytes), 0) "
      "FROM evidence.bundles b LEFT JOIN evidence.artifacts a ON a.bundle_id = b.bundle_id "
      "WHERE ($2::timestamptz IS NULL OR b.created_at >= $2::timestamptz) "
      "  AND NOT EXISTS (SELECT 1 FROM evidence.bundle_roots r "
      "                  WHERE r.generation = $1::integer AND r.bundle_id = b.bundle_id "
      "                  OFFSET 0) "
      "GROUP BY b.bundle_id ORDER BY b.bundle_id",
      {std::to_string(generation), since});
  const std::string fetch_sql =
      "FETCH FORWARD " + std::to_string(kCandidateFetchRows) + " FROM reindex_candidates";
  while (true) {
    const PgResult rows = connection.exec(fetch_sql);
    for (int r = 0; r < rows.rows(); ++r) {
      on_bundle(
          CandidateBundle{std::string(rows.get(r, 0)), rows.get_int64(r, 1), rows.get_int64(r, 2)});
    }
    if (rows.rows() < kCandidateFetchRows) {
      break;
    }
  }
  connection.exec("CLOSE reindex_candidates");
}

void BatchCutter::add(const CandidateBundle& bundle) {
  const bool start_new =
      batches_.empty() ||
      (batches_.back().artifacts > 0 && batches_.back().artifacts + bundle.artifacts > batch_size_);
  if (start_new) {
    PlannedBatch batch;
    if (!batches_.empty()) {
      batch.lower = bundle.bundle_id;
    }
    batches_.push_back(std::move(batch));
  }
  PlannedBatch& current = batches_.back();
  ++current.bundles;
  current.artifacts += bundle.artifacts;
  current.bytes += bundle.bytes;
  ++bundles_;
  artifacts_ += bundle.artifacts;
  bytes_ += bundle.bytes;
}

std::vector<PlannedBatch> BatchCutter::finish() {
  for (std::size_t i = 0; i + 1 < batches_.size(); ++i) {
    batches_[i].upper = batches_[i + 1].lower;
  }
  return std::move(batches_);
}

ReindexRunRecord insert_run(PgConnection& connection, const RunParameters& parameters) {
  BatchCutter cutter(parameters.batch_size);
  scan_candidate_bundles(connection, parameters.generation, parameters.since,
                         [&](const CandidateBundle& bundle) { cutter.add(bundle); });
  const std::vector<PlannedBatch> batches = cutter.finish();
  const PgResult inserted = connection.exec(
      "INSERT INTO stella.reindex_runs (generation, from_generation, algorithm, from_algorithm, "
      "since, batch_size, planned_batches, planned_bundles, planned_artifacts, planned_bytes, "
      "started_by) VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7, $8, $9, $10, $11) "
      "RETURNING run_id",
      {std::to_string(parameters.generation), std::to_string(parameters.from_generation),
       parameters.algorithm, parameters.from_algorithm, parameters.since,
       std::to_string(parameters.batch_size), std::to_string(batches.size()),
       std::to_string(cutter.bundles()), std::to_string(cutter.artifacts()),
       std::to_string(cutter.bytes()), parameters.operator_name});
  const std::int64_t run_id = inserted.get_int64(0, 0);
  if (!batches.empty()) {
    std::string rows;
    std::int64_t batch_no = 0;
    for (const PlannedBatch& batch : batches) {
      append_copy_integer(rows, run_id, true);
      append_copy_integer(rows, ++batch_no, false);
      append_optional_field(rows, batch.lower);
      append_optional_field(rows, batch.upper);
      append_copy_integer(rows, batch.bundles, false);
      append_copy_integer(rows, batch.artifacts, false);
      append_copy_integer(rows, batch.bytes, false);
      end_copy_row(rows);
    }
    connection.copy_in_start(
        "COPY stella.reindex_batches (run_id, batch_no, lower_bundle, upper_bundle, "
        "planned_bundles, planned_artifacts, planned_bytes) FROM STDIN");
    connection.copy_in_put(rows);
    connection.copy_in_finish();
  }
  return *first_run(
      connection.exec("SELECT " + run_columns() + " FROM stella.reindex_runs WHERE run_id = $1",
                      {std::to_string(run_id)}));
}

std::optional<ClaimedBatch> claim_batch(PgConnection& connection, std::int64_t run_id) {
  const PgResult rows = connection.exec(
      "SELECT batch_no, lower_bundle, upper_bundle FROM stella.reindex_batches "
      "WHERE run_id = $1 AND state = 'pending' ORDER BY batch_no LIMIT 1 "
      "FOR UPDATE SKIP LOCKED",
      {std::to_string(run_id)});
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  return ClaimedBatch{run_id, rows.get_int64(0, 0), rows.get_optional(0, 1),
                      rows.get_optional(0, 2)};
}

void mark_batch_done(PgConnection& connection, const ClaimedBatch& batch,
                     const DigestCounts& counts, const std::string& worker_id) {
  const PgResult updated = connection.exec(
      "UPDATE stella.reindex_batches SET state = 'done', done_at = clock_timestamp(), "
      "done_by = $3, done_bundles = $4, done_artifacts = $5, done_bytes = $6 "
      "WHERE run_id = $1 AND batch_no = $2 AND state = 'pending'",
      {std::to_string(batch.run_id), std::to_string(batch.batch_no), worker_id,
       std::to_string(counts.bundles), std::to_string(counts.artifacts),
       std::to_string(counts.bytes)});
  if (updated.affected_rows() != 1) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "batch " + std::to_string(batch.batch_no) + " of reindex run " +
                         std::to_string(batch.run_id) +
                         " was not pending when its work was done; expected this worker's "
                         "lock to keep it",
                     "run `stella evidence reindex --progress` and report this");
  }
}

BatchTally tally_batches(PgConnection& connection, std::int64_t run_id) {
  const PgResult rows = connection.exec(
      "SELECT count(b.batch_no), count(*) FILTER (WHERE b.state = 'done'), "
      "coalesce(sum(b.done_bundles), 0), coalesce(sum(b.done_artifacts), 0), "
      "coalesce(sum(b.done_bytes), 0), " +
          iso_utc_sql("max(b.done_at)") +
          ", coalesce(extract(epoch FROM max(b.done_at) - min(r.started_at)), 0) "
          "FROM stella.reindex_runs r LEFT JOIN stella.reindex_batches b USING (run_id) "
          "WHERE r.run_id = $1",
      {std::to_string(run_id)});
  BatchTally tally;
  tally.total = rows.get_int64(0, 0);
  tally.done = rows.get_int64(0, 1);
  tally.done_bundles = rows.get_int64(0, 2);
  tally.done_artifacts = rows.get_int64(0, 3);
  tally.done_bytes = rows.get_int64(0, 4);
  tally.last_done_at = rows.get_optional(0, 5);
  tally.busy_seconds = std::stod(std::string(rows.get(0, 6)));
  return tally;
}

void finish_run(PgConnection& connection, std::int64_t run_id) {
  connection.exec(
      "UPDATE stella.reindex_runs SET state = 'finished', finished_at = clock_timestamp() "
      "WHERE run_id = $1 AND state = 'running'",
      {std::to_string(run_id)});
}

}  // namespace stella::host
