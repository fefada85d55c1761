// Claiming and working batches. The claim, the digests, the bundle roots and the batch's 'done'
// mark are one transaction: a worker that dies mid-batch leaves nothing of it behind, and its row
// lock goes with its session, so another worker takes the batch over.
#include "reindex/batch_workers.hpp"

#include <chrono>

#include "core/test_delay.hpp"
#include "reindex/transient_conflict.hpp"
#include "reindex/work_table.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// How long a worker waits before looking again when every pending batch is held by others.
constexpr int kWaitForOthersMilliseconds = 200;
/// Retries of one batch after a conflict with another worker (see is_retryable_conflict).
constexpr int kConflictRetries = 5;

std::unique_ptr<PgConnection> worker_connection(const std::string& conninfo) {
  auto connection = PgConnection::connect(conninfo);
  // A batch's commit is its checkpoint. Asynchronous commit makes the checkpoints cheap; a server
  // crash can forget the last few committed batches, which are then simply done again (the work
  // is deterministic); it can never leave half a batch. Sealing commits synchronously.
  connection->exec("SET synchronous_commit = off");
  // Batch statements are small and many: compiling them with JIT costs more than it saves.
  connection->exec("SET jit = off");
  connection->exec(std::string("SET idle_in_transaction_session_timeout = '") + kBatchLease + "'");
  // Over TCP, a worker host that vanishes is noticed by keepalives and its batch released.
  connection->exec("SET tcp_keepalives_idle = 30");
  connection->exec("SET tcp_keepalives_interval = 10");
  connection->exec("SET tcp_keepalives_count = 3");
  return connection;
}

bool pending_batches_left(PgConnection& connection, std::int64_t run_id) {
  return connection
             .exec(
                 "SELECT EXISTS (SELECT 1 FROM stella.reindex_batches "
                 "WHERE run_id = $1 AND state = 'pending')",
                 {std::to_string(run_id)})
             .get(0, 0) == "t";
}

}  // namespace

BatchWorkers::BatchWorkers(BatchWorkersInputs inputs) : inputs_(std::move(inputs)) {
  running_ = inputs_.threads;
  for (int i = 0; i < inputs_.threads; ++i) {
    threads_.emplace_back([this, i] { work(i); });
  }
}

BatchWorkers::~BatchWorkers() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  for (auto& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

bool BatchWorkers::wait_for(int milliseconds) {
  std::unique_lock<std::mutex> lock(mutex_);
  return ended_.wait_for(lock, std::chrono::milliseconds(milliseconds),
                         [this] { return running_ == 0; });
}

void BatchWorkers::stop() {
  const std::lock_guard<std::mutex> lock(mutex_);
  stop_ = true;
}

BatchWorkersResult BatchWorkers::finish() {
  for (auto& thread : threads_) {
    thread.join();
  }
  threads_.clear();
  if (error_) {
    std::rethrow_exception(error_);
  }
  return result_;
}

void BatchWorkers::fail(std::exception_ptr error) {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (!error_) {
    error_ = error;
  }
  stop_ = true;
}

void BatchWorkers::work(int /*index*/) {
  try {
    const auto connection = worker_connection(inputs_.conninfo);
    // Test-only hook (docs/reindex.md): each worker pauses that long after every batch it
    // commits, so tests can kill or join a run mid-way.
    const std::chrono::milliseconds delay =
        test_delay_from_environment("STELLA_TEST_REINDEX_BATCH_DELAY_MS");
    int conflicts = 0;
    while (true) {
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (stop_) {
          break;
        }
      }
      std::optional<ClaimedBatch> batch;
      DigestCounts counts;
      try {
        PgTransaction transaction(*connection);
        batch = claim_batch(*connection, inputs_.run_id);
        if (batch) {
          BundleSelection selection;
          selection.lower = batch->lower;
          selection.upper = batch->upper;
          selection.since = inputs_.since;
          DigestTables tables;
          tables.digests = inputs_.digests_table;
          counts =
              digest_bundles(*connection, *inputs_.hasher, inputs_.generation, selection, tables);
          mark_batch_done(*connection, *batch, counts, inputs_.worker_id);
        }
        transaction.commit();
      } catch (const sdk::Error& error) {
        if (!is_retryable_conflict(error) || ++conflicts > kConflictRetries) {
          throw;
        }
        continue;
      }
      if (!batch) {
        if (!pending_batches_left(*connection, inputs_.run_id)) {
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(kWaitForOthersMilliseconds));
        continue;
      }
      conflicts = 0;
      if (inputs_.heartbeat != nullptr) {
        inputs_.heartbeat->count_batch(counts.artifacts);
      }
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        result_.counts += counts;
        ++result_.batches;
      }
      if (delay.count() > 0) {
        std::this_thread::sleep_for(delay);
      }
    }
  } catch (...) {
    fail(std::current_exception());
  }
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    --running_;
  }
  ended_.notify_all();
}

}  // namespace stella::host
