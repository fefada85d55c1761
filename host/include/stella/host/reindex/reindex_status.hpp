// `stella evidence reindex --progress`: the current or last reindex run, from the work table.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/reindex/reindex_runner.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// A process that worked (or works) on the run.
struct ReindexWorkerStatus {
  std::string worker_id;
  std::string host;
  int pid = 0;
  /// working or exited.
  std::string state;
  double seconds_since_heartbeat = 0;
  bool alive = false;
  std::int64_t batches_done = 0;
  std::int64_t artifacts_done = 0;
};

struct ReindexStatus {
  /// False when reindex never ran on this store (the other fields are empty).
  bool any_run = false;
  std::int64_t run_id = 0;
  int generation = 0;
  std::string algorithm;
  int from_generation = 0;
  std::string from_algorithm;
  std::optional<std::string> since;
  std::int64_t batch_size = 0;
  std::string started_at;
  std::string started_by;
  std::optional<std::string> finished_at;
  /// The run's row state: running, finished or sealed.
  std::string run_state;
  /// What an operator needs to know: "running" (a live worker is on it), "interrupted" (running,
  /// but no worker alive: resume it), "incomplete" (batches done, records outside --since
  /// missing), "sealing" (batches done, seal pending), "sealed".
  std::string status;
  /// The generation's state: building, sealed or retired.
  std::string generation_state;
  ReindexProgressSample progress;
  std::vector<ReindexWorkerStatus> workers;
  std::optional<std::int64_t> missing_bundles;
  std::optional<std::int64_t> missing_artifacts;
  /// The generation's global root once sealed.
  std::optional<std::string> global_root;
  /// One line: what to do next, if anything.
  std::string advice;

  /// A run is going on (some worker alive).
  bool live() const { return status == "running" || status == "sealing"; }
};

/// Reads the newest run. Needs schema 2.0; a store whose state schema has no reindex tables yet
/// reads as "no run".
ReindexStatus read_reindex_status(PgConnection& connection);

/// One line of JSON (schemas/reindex-progress.schema.json); `--progress --format json` prints one
/// per refresh.
std::string reindex_status_json(const ReindexStatus& status);

/// The status for people, several lines.
void write_reindex_status_text(std::ostream& out, const ReindexStatus& status);

/// "[#########.........] 45% 4,500/10,000 artifacts, 1,234 artifacts/s, ETA about 4 s"
std::string progress_bar_text(const ReindexProgressSample& sample);

}  // namespace stella::host
