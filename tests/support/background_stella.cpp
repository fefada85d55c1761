#include "support/background_stella.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <thread>

namespace stella::test {

BackgroundStella::BackgroundStella(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& environment) {
  std::vector<std::string> argv{required_env("STELLA_BINARY")};
  argv.insert(argv.end(), args.begin(), args.end());
  process_ = start_process(argv, environment);
}

BackgroundStella::~BackgroundStella() {
  if (!reaped_ && process_.pid > 0) {
    ::kill(process_.pid, SIGKILL);
    ::waitpid(process_.pid, &status_, 0);
  }
  remove_output_files(process_);
}

bool BackgroundStella::running() {
  if (reaped_) {
    return false;
  }
  const pid_t done = ::waitpid(process_.pid, &status_, WNOHANG);
  if (done == process_.pid) {
    reaped_ = true;
    return false;
  }
  return true;
}

void BackgroundStella::kill_now() {
  if (!reaped_) {
    ::kill(process_.pid, SIGKILL);
    wait();
  }
}

void BackgroundStella::send(int signal_number) {
  if (!reaped_) {
    ::kill(process_.pid, signal_number);
  }
}

ProcessResult BackgroundStella::wait() {
  if (!reaped_) {
    while (::waitpid(process_.pid, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  return finished_process(process_, status_);
}

std::string BackgroundStella::err() const {
  return read_text_file(process_.err_path);
}

bool BackgroundStella::wait_for_err(const std::string& part, std::chrono::milliseconds limit) {
  constexpr auto kPoll = std::chrono::milliseconds(20);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (err().find(part) == std::string::npos) {
    if (!running() || std::chrono::steady_clock::now() >= deadline) {
      return err().find(part) != std::string::npos;
    }
    std::this_thread::sleep_for(kPoll);
  }
  return true;
}

}  // namespace stella::test
