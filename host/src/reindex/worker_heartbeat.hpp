// A process working on a reindex run announces itself in stella.reindex_workers and renews its
// heartbeat from a thread of its own, so `reindex --progress` can tell a live run from a dead one.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace stella::host {

/// Seconds between heartbeats.
inline constexpr int kHeartbeatIntervalSeconds = 2;
/// A worker whose heartbeat is older than this is taken for dead.
inline constexpr int kHeartbeatStaleSeconds = 5 * kHeartbeatIntervalSeconds;

/// "<host>:<pid>:<start time in ns>": unique across hosts and across restarts of a pid.
std::string make_worker_id();

/// Registers the worker on construction and renews its heartbeat until destroyed; marks it exited
/// on destruction. Heartbeat failures are ignored (the batches' own transactions report a lost
/// server); registration failures throw sdk::Error.
///
/// Ownership: opens and owns one connection. Thread-safety: construct and destroy on one thread.
class WorkerHeartbeat {
 public:
  WorkerHeartbeat(const std::string& conninfo, std::string worker_id, std::int64_t run_id);
  ~WorkerHeartbeat();
  WorkerHeartbeat(const WorkerHeartbeat&) = delete;
  WorkerHeartbeat& operator=(const WorkerHeartbeat&) = delete;

  /// Counts a batch done by any of this process's threads (published with the next heartbeat).
  void count_batch(std::int64_t artifacts);

 private:
  void beat(const std::string& conninfo);
  std::string worker_id_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<std::int64_t> batches_done_{0};
  std::atomic<std::int64_t> artifacts_done_{0};
  std::thread thread_;
};

}  // namespace stella::host
