#include "conformance/check_watchdog.hpp"

namespace stella::host {

CheckWatchdog::CheckWatchdog(std::chrono::seconds limit, StallHandler on_stall)
    : limit_(limit), on_stall_(std::move(on_stall)), thread_([this] { watch(); }) {}

CheckWatchdog::~CheckWatchdog() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void CheckWatchdog::progress(std::string what) {
  const std::lock_guard<std::mutex> lock(mutex_);
  last_ = std::chrono::steady_clock::now();
  last_progress_ = std::move(what);
}

void CheckWatchdog::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    const auto deadline = last_ + limit_;
    if (std::chrono::steady_clock::now() >= deadline) {
      const std::string last = last_progress_;
      lock.unlock();
      on_stall_(last);
      return;
    }
    changed_.wait_until(lock, deadline);
  }
}

}  // namespace stella::host
