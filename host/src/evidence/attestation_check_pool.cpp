// A bounded work queue of attestation checks.
#include "evidence/attestation_check_pool.hpp"

namespace stella::host {
namespace {

/// Jobs waiting per worker: enough to keep each busy, few enough to keep memory flat.
constexpr std::size_t kQueuedJobsPerWorker = 64;

}  // namespace

AttestationCheckPool::AttestationCheckPool(const SigningKeyring& keyring, unsigned workers,
                                           Sink sink)
    : keyring_(keyring), sink_(std::move(sink)) {
  for (unsigned i = 0; i < workers; ++i) {
    threads_.emplace_back([this] { work(); });
  }
}

AttestationCheckPool::~AttestationCheckPool() {
  stop();
}

void AttestationCheckPool::submit(std::uint64_t order, AttestationJob job) {
  if (threads_.empty()) {
    sink_(order, check_attestation(job, keyring_));
    return;
  }
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [this] {
    return queue_.size() < kQueuedJobsPerWorker * threads_.size() || failure_ != nullptr;
  });
  if (failure_) {
    std::rethrow_exception(failure_);
  }
  queue_.emplace_back(order, std::move(job));
  has_work_.notify_one();
}

void AttestationCheckPool::finish() {
  stop();
  if (failure_) {
    std::rethrow_exception(failure_);
  }
}

void AttestationCheckPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  has_work_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

void AttestationCheckPool::work() {
  for (;;) {
    std::pair<std::uint64_t, AttestationJob> item;
    {
      std::unique_lock lock(mutex_);
      has_work_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) {
        return;
      }
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    has_room_.notify_one();
    try {
      sink_(item.first, check_attestation(item.second, keyring_));
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!failure_) {
        failure_ = std::current_exception();
      }
      has_room_.notify_all();
    }
  }
}

}  // namespace stella::host
