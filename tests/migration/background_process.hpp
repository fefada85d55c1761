// A `stella` child process the test does not wait for: started, watched, killed.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace stella::test {

class BackgroundStella {
 public:
  /// Starts `stella args...` (STELLA_BINARY) with extra environment; output goes to files.
  BackgroundStella(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& environment = {});
  ~BackgroundStella();
  BackgroundStella(const BackgroundStella&) = delete;
  BackgroundStella& operator=(const BackgroundStella&) = delete;

  pid_t pid() const { return pid_; }
  /// True while the process has not exited.
  bool running();
  /// Sends SIGKILL and reaps the process.
  void kill_now();
  /// Waits for the exit; returns the exit code, or 128 + signal.
  int wait();
  std::string err() const;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_path_;
  std::string err_path_;
};

}  // namespace stella::test
