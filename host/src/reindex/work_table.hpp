// The reindex work table (schemas/sql/state/003_reindex.sql): runs, their batches, and claiming a
// batch with FOR UPDATE SKIP LOCKED.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "reindex/bundle_digester.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// One row of stella.reindex_runs.
struct ReindexRunRecord {
  std::int64_t run_id = 0;
  int generation = 0;
  int from_generation = 0;
  std::string algorithm;
  std::string from_algorithm;
  /// ISO 8601 UTC; nullopt: every bundle.
  std::optional<std::string> since;
  std::int64_t batch_size = 0;
  std::int64_t planned_batches = 0;
  std::int64_t planned_bundles = 0;
  std::int64_t planned_artifacts = 0;
  std::int64_t planned_bytes = 0;
  std::string started_at;
  std::string started_by;
  /// running, finished or sealed.
  std::string state;
  std::optional<std::string> finished_at;
  std::optional<std::int64_t> missing_bundles;
  std::optional<std::int64_t> missing_artifacts;
};

/// The newest run building `generation`, or nullopt.
std::optional<ReindexRunRecord> latest_run_of_generation(PgConnection& connection, int generation);
/// The newest run of the store, or nullopt when reindex never ran.
std::optional<ReindexRunRecord> latest_run(PgConnection& connection);

/// A bundle not yet covered by the generation, as the planner sees it.
struct CandidateBundle {
  std::string bundle_id;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
};

/// Streams, in bundle id order, the bundles created at or after `since` (when given) that have
/// no root in `generation`, with their artifact counts and sizes. Needs an open transaction.
void scan_candidate_bundles(PgConnection& connection, int generation,
                            const std::optional<std::string>& since,
                            const std::function<void(const CandidateBundle&)>& on_bundle);

/// One planned batch: bundles in [lower, upper) in id order.
struct PlannedBatch {
  std::optional<std::string> lower;
  std::optional<std::string> upper;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
};

/// Cuts bundles (fed in id order) into batches of about `batch_size` artifacts without splitting
/// a bundle; the batches' ranges tile the whole key space (the first is unbounded below, the last
/// unbounded above), so a bundle that arrives later falls into exactly one of them.
class BatchCutter {
 public:
  explicit BatchCutter(std::int64_t batch_size) : batch_size_(batch_size) {}
  void add(const CandidateBundle& bundle);
  /// The batches; call once, after the last add.
  std::vector<PlannedBatch> finish();
  std::int64_t bundles() const { return bundles_; }
  std::int64_t artifacts() const { return artifacts_; }
  std::int64_t bytes() const { return bytes_; }

 private:
  std::int64_t batch_size_;
  std::vector<PlannedBatch> batches_;
  std::int64_t bundles_ = 0;
  std::int64_t artifacts_ = 0;
  std::int64_t bytes_ = 0;
};

/// What a new run is planned from.
struct RunParameters {
  int generation = 0;
  int from_generation = 0;
  std::string algorithm;
  std::string from_algorithm;
  std::optional<std::string> since;
  std::int64_t batch_size = 0;
  std::string operator_name;
};

/// Inserts a run and its batches (inside the caller's transaction) and returns it.
ReindexRunRecord insert_run(PgConnection& connection, const RunParameters& parameters);

/// A batch this worker holds (its row is locked by the worker's open transaction).
struct ClaimedBatch {
  std::int64_t run_id = 0;
  std::int64_t batch_no = 0;
  std::optional<std::string> lower;
  std::optional<std::string> upper;
};

/// Locks the first pending batch of the run that no other transaction holds (FOR UPDATE SKIP
/// LOCKED), inside the caller's transaction; nullopt when there is none to take.
std::optional<ClaimedBatch> claim_batch(PgConnection& connection, std::int64_t run_id);

/// Marks the claimed batch done, with what it covered, in the caller's transaction (the
/// checkpoint commits with the digests).
void mark_batch_done(PgConnection& connection, const ClaimedBatch& batch,
                     const DigestCounts& counts, const std::string& worker_id);

/// Batches of a run by state.
struct BatchTally {
  std::int64_t total = 0;
  std::int64_t done = 0;
  std::int64_t done_bundles = 0;
  std::int64_t done_artifacts = 0;
  std::int64_t done_bytes = 0;
  /// ISO 8601 UTC of the last batch done; nullopt before the first.
  std::optional<std::string> last_done_at;
  /// Seconds from the run's start to the last batch done (0 before the first).
  double busy_seconds = 0;
};

BatchTally tally_batches(PgConnection& connection, std::int64_t run_id);

/// Marks a running run finished (every batch done) and records what is still missing; a no-op
/// when it is no longer running.
void finish_run(PgConnection& connection, std::int64_t run_id);

}  // namespace stella::host
