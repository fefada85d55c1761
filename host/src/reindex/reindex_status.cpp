// Reading the newest reindex run, its batches and its workers.
#include "stella/host/reindex/reindex_status.hpp"

#include "core/local_process.hpp"
#include "reindex/iso_utc_sql.hpp"
#include "reindex/work_table.hpp"
#include "reindex/worker_heartbeat.hpp"

namespace stella::host {
namespace {

bool reindex_tables_exist(PgConnection& connection) {
  return connection.exec("SELECT to_regclass('stella.reindex_runs') IS NOT NULL").get(0, 0) == "t";
}

std::vector<ReindexWorkerStatus> read_workers(PgConnection& connection, std::int64_t run_id) {
  const PgResult rows = connection.exec(
      "SELECT worker_id, host, pid, state, "
      "extract(epoch FROM clock_timestamp() - heartbeat_at), batches_done, artifacts_done "
      "FROM stella.reindex_workers WHERE run_id = $1 ORDER BY started_at, worker_id",
      {std::to_string(run_id)});
  const std::string this_host = local_host_name();
  std::vector<ReindexWorkerStatus> workers;
  for (int r = 0; r < rows.rows(); ++r) {
    ReindexWorkerStatus worker;
    worker.worker_id = rows.get(r, 0);
    worker.host = rows.get(r, 1);
    worker.pid = static_cast<int>(rows.get_int64(r, 2));
    worker.state = rows.get(r, 3);
    worker.seconds_since_heartbeat = std::stod(std::string(rows.get(r, 4)));
    // A worker of this machine whose process is gone (killed, crashed) is dead at once; one on
    // another machine is only known dead when its heartbeat goes stale.
    const bool gone_from_here = worker.host == this_host && !process_is_running(worker.pid);
    worker.alive = worker.state == "working" &&
                   worker.seconds_since_heartbeat < kHeartbeatStaleSeconds && !gone_from_here;
    worker.batches_done = rows.get_int64(r, 5);
    worker.artifacts_done = rows.get_int64(r, 6);
    workers.push_back(std::move(worker));
  }
  return workers;
}

void decide_status(ReindexStatus& status) {
  bool alive = false;
  for (const ReindexWorkerStatus& worker : status.workers) {
    alive = alive || worker.alive;
  }
  if (status.run_state == "sealed" || status.generation_state != "building") {
    status.status = "sealed";
    status.advice =
        status.run_state == "sealed"
            ? "generation " + std::to_string(status.generation) +
                  " is sealed; check custody with `stella evidence verify-continuity`"
            : "generation " + std::to_string(status.generation) + " was sealed by a later run";
    return;
  }
  const bool batches_left = status.progress.batches_done < status.progress.batches_total;
  if (alive) {
    status.status = batches_left ? "running" : "sealing";
    return;
  }
  if (status.run_state == "finished" && status.missing_artifacts.value_or(0) > 0) {
    status.status = "incomplete";
    status.advice = with_thousands(*status.missing_artifacts) +
                    " artifacts are not yet covered; run `stella evidence reindex`" +
                    (status.since ? " without --since" : "") + " to finish";
    return;
  }
  status.status = "interrupted";
  status.advice =
      "no worker is alive; continue with `stella evidence reindex --resume` (done batches are "
      "kept)";
}

}  // namespace

ReindexStatus read_reindex_status(PgConnection& connection) {
  ReindexStatus status;
  if (!reindex_tables_exist(connection)) {
    return status;
  }
  const std::optional<ReindexRunRecord> run = latest_run(connection);
  if (!run) {
    return status;
  }
  status.any_run = true;
  status.run_id = run->run_id;
  status.generation = run->generation;
  status.algorithm = run->algorithm;
  status.from_generation = run->from_generation;
  status.from_algorithm = run->from_algorithm;
  status.since = run->since;
  status.batch_size = run->batch_size;
  status.started_at = run->started_at;
  status.started_by = run->started_by;
  status.finished_at = run->finished_at;
  status.run_state = run->state;
  status.missing_bundles = run->missing_bundles;
  status.missing_artifacts = run->missing_artifacts;
  const PgResult generation = connection.exec(
      "SELECT g.state, r.root FROM evidence.digest_generations g "
      "LEFT JOIN evidence.global_roots r USING (generation) WHERE g.generation = $1",
      {std::to_string(run->generation)});
  if (generation.rows() > 0) {
    status.generation_state = generation.get(0, 0);
    status.global_root = generation.get_optional(0, 1);
  }
  status.progress = sample_progress(connection, run->run_id);
  status.workers = read_workers(connection, run->run_id);
  decide_status(status);
  return status;
}

}  // namespace stella::host
