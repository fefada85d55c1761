// Stops `stella plugins test` when a plugin hangs. The checks run the plugin's code on the test's
// own threads, and code stuck in a loop or a wait cannot be interrupted from outside: without a
// limit, a plugin author's first hang would be a command that never ends and ignores Ctrl-C.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace stella::host {

/// Calls `on_stall` (on its own thread) when `progress()` was not called for `limit`.
///
/// Ownership: owns its thread, stopped and joined by the destructor. Thread-safety: progress() may
/// be called from any thread. Failure: none; `on_stall` decides what a stall means (the test's
/// ends the process).
class CheckWatchdog {
 public:
  /// `on_stall` gets the text of the last progress before the stall.
  using StallHandler = std::function<void(const std::string& last_progress)>;

  CheckWatchdog(std::chrono::seconds limit, StallHandler on_stall);
  ~CheckWatchdog();
  CheckWatchdog(const CheckWatchdog&) = delete;
  CheckWatchdog& operator=(const CheckWatchdog&) = delete;

  /// Something happened (a check finished, a phase began): the limit starts again.
  void progress(std::string what);

 private:
  void watch();

  const std::chrono::seconds limit_;
  const StallHandler on_stall_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::string last_progress_ = "the start";
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace stella::host
