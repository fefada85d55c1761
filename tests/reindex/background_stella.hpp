// The real CLI started in the background, so a test can run two at once or kill one mid-run.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "support/run_cli_process.hpp"

namespace stella::test {

class BackgroundStella {
 public:
  /// Starts `stella args...` (STELLA_BINARY) with extra environment; stdout and stderr go to
  /// temporary files read back by wait().
  BackgroundStella(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& environment = {});
  ~BackgroundStella();
  BackgroundStella(const BackgroundStella&) = delete;
  BackgroundStella& operator=(const BackgroundStella&) = delete;

  pid_t pid() const { return pid_; }
  /// Sends SIGKILL (no chance to clean up: the crash a resume must survive).
  void kill_hard();
  /// Waits for the process to end; returns its exit code (128 + signal when killed) and output.
  ProcessResult wait();

 private:
  pid_t pid_ = -1;
  std::string out_path_;
  std::string err_path_;
  bool waited_ = false;
};

}  // namespace stella::test
