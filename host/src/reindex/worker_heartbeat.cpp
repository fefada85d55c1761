// Worker registration and heartbeat in stella.reindex_workers.
#include "reindex/worker_heartbeat.hpp"

#include <unistd.h>

#include <chrono>

#include "core/local_process.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {
std::string make_worker_id() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return local_host_name() + ":" + std::to_string(::getpid()) + ":" +
         std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
}

WorkerHeartbeat::WorkerHeartbeat(const std::string& conninfo, std::string worker_id,
                                 std::int64_t run_id)
    : worker_id_(std::move(worker_id)) {
  const auto connection = PgConnection::connect(conninfo);
  connection->exec(
      "INSERT INTO stella.reindex_workers (worker_id, run_id, host, pid) VALUES ($1, $2, $3, $4)",
      {worker_id_, std::to_string(run_id), local_host_name(), std::to_string(::getpid())});
  thread_ = std::thread([this, conninfo] { beat(conninfo); });
}

WorkerHeartbeat::~WorkerHeartbeat() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WorkerHeartbeat::count_batch(std::int64_t artifacts) {
  batches_done_ += 1;
  artifacts_done_ += artifacts;
}

void WorkerHeartbeat::beat(const std::string& conninfo) {
  std::unique_ptr<PgConnection> connection;
  try {
    connection = PgConnection::connect(conninfo);
  } catch (...) {
    // Without a heartbeat the run still completes; --progress will call it stale.
  }
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::seconds(kHeartbeatIntervalSeconds));
    if (stopping_ || !connection) {
      continue;
    }
    lock.unlock();
    try {
      connection->exec(
          "UPDATE stella.reindex_workers SET heartbeat_at = clock_timestamp(), "
          "batches_done = $2, artifacts_done = $3 WHERE worker_id = $1",
          {worker_id_, std::to_string(batches_done_.load()),
           std::to_string(artifacts_done_.load())});
    } catch (...) {
      // Same as above: a missed beat only makes --progress cautious.
    }
    lock.lock();
  }
  lock.unlock();
  if (connection) {
    try {
      connection->exec(
          "UPDATE stella.reindex_workers SET state = 'exited', heartbeat_at = clock_timestamp(), "
          "batches_done = $2, artifacts_done = $3 WHERE worker_id = $1",
          {worker_id_, std::to_string(batches_done_.load()),
           std::to_string(artifacts_done_.load())});
    } catch (...) {
      // The row stays 'working' with a stale heartbeat, which reads as a dead worker: accurate.
    }
  }
}

}  // namespace stella::host
