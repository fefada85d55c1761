// The threads of one process that work a reindex run's batches, each on its own connection.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "reindex/bundle_digester.hpp"
#include "reindex/worker_heartbeat.hpp"
#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::host {

/// How long a worker's batch transaction may sit idle before the server ends the session and
/// releases its batch to other workers: the lease of a claim. A batch's own statements keep it
/// alive; only a hung or cut-off worker ever reaches it.
inline constexpr const char* kBatchLease = "120s";

struct BatchWorkersInputs {
  std::string conninfo;
  std::int64_t run_id = 0;
  int generation = 0;
  /// Where the generation's digests are written (generation_digests_table).
  std::string digests_table;
  std::optional<std::string> since;
  /// The new generation's hasher; shared by the threads (TreeHasher is thread-safe).
  const TreeHasher* hasher = nullptr;
  int threads = 1;
  /// Recorded as done_by on every batch this process completes.
  std::string worker_id;
  /// Receives each batch done, for the heartbeat's counts.
  WorkerHeartbeat* heartbeat = nullptr;
};

/// What this process's threads did.
struct BatchWorkersResult {
  DigestCounts counts;
  std::int64_t batches = 0;
};

/// Starts the threads on construction. Each thread claims a pending batch (FOR UPDATE SKIP LOCKED),
/// covers it and marks it done in that one transaction, and repeats; when no batch is free but
/// some are held by other workers it waits and tries again (a dead worker's batch comes free when
/// its session ends), and it stops when none is pending. The first failure stops every thread.
///
/// Thread-safety: construct, poll and wait from one thread.
class BatchWorkers {
 public:
  explicit BatchWorkers(BatchWorkersInputs inputs);
  ~BatchWorkers();
  BatchWorkers(const BatchWorkers&) = delete;
  BatchWorkers& operator=(const BatchWorkers&) = delete;

  /// Waits up to `milliseconds` for every thread to end; true when they have.
  bool wait_for(int milliseconds);
  /// Asks every thread to stop after the batch in hand (its transaction commits or rolls back as
  /// it would anyway); finish() then returns what was done.
  void stop();
  /// Joins the threads and returns what they did; rethrows the first failure.
  BatchWorkersResult finish();

 private:
  void work(int index);
  void fail(std::exception_ptr error);

  BatchWorkersInputs inputs_;
  std::mutex mutex_;
  std::condition_variable ended_;
  int running_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  BatchWorkersResult result_;
  std::vector<std::thread> threads_;
};

}  // namespace stella::host
