// Threads that check attestations while the walk goes on: an Ed25519 verification costs about a
// hundred times the hashing of a 1 KiB artifact, so it must not hold up the stream.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "evidence/attestation_check.hpp"

namespace stella::host {

/// Ownership: owns its threads; the keyring must outlive the pool. Thread-safety: submit and
/// finish from one thread; `sink` is called from the worker threads (or inline when there are no
/// workers) and must be thread-safe. Failure: an exception in a worker is rethrown by finish().
class AttestationCheckPool {
 public:
  using Sink = std::function<void(std::uint64_t order, AttestationOutcome&& outcome)>;

  AttestationCheckPool(const SigningKeyring& keyring, unsigned workers, Sink sink);
  ~AttestationCheckPool();
  AttestationCheckPool(const AttestationCheckPool&) = delete;
  AttestationCheckPool& operator=(const AttestationCheckPool&) = delete;

  /// Queues a job (blocks while the queue is full, so memory stays bounded). `order` is handed
  /// back to the sink.
  void submit(std::uint64_t order, AttestationJob job);
  /// Waits until every queued job is checked, then stops the workers.
  void finish();

 private:
  void work();
  void stop();

  const SigningKeyring& keyring_;
  Sink sink_;
  std::mutex mutex_;
  std::condition_variable has_work_;
  std::condition_variable has_room_;
  std::deque<std::pair<std::uint64_t, AttestationJob>> queue_;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<std::thread> threads_;
};

}  // namespace stella::host
