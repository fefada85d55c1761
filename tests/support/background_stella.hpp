// The real CLI started in the background, so that a test can run two at once, watch one, or kill
// one mid-run (the crash a resume must survive).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "support/run_cli_process.hpp"

namespace stella::test {

class BackgroundStella {
 public:
  /// Starts `stella args...` (STELLA_BINARY) with extra environment; stdout and stderr go to
  /// temporary files, removed with this object.
  BackgroundStella(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& environment = {});
  ~BackgroundStella();
  BackgroundStella(const BackgroundStella&) = delete;
  BackgroundStella& operator=(const BackgroundStella&) = delete;

  pid_t pid() const { return process_.pid; }
  /// True while the process has not exited.
  bool running();
  /// Sends SIGKILL (no chance to clean up) and reaps the process.
  void kill_now();
  /// Sends `signal_number` (SIGINT, SIGTERM: the process may clean up) without waiting.
  void send(int signal_number);
  /// Waits for the exit; returns the exit code (128 + signal when killed) and the output.
  ProcessResult wait();
  /// What the process wrote to stderr so far.
  std::string err() const;
  /// Waits until stderr holds `part`, the process exits or `limit` passes; true when it holds it.
  bool wait_for_err(const std::string& part,
                    std::chrono::milliseconds limit = std::chrono::seconds(10));

 private:
  StartedProcess process_;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace stella::test
