#include "support/background_stella.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/run_cli_process.hpp"

namespace stella::test {

BackgroundStella::BackgroundStella(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& environment) {
  char out_template[] = "/tmp/stella-bg-out-XXXXXX";
  char err_template[] = "/tmp/stella-bg-err-XXXXXX";
  const int out_fd = ::mkstemp(out_template);
  const int err_fd = ::mkstemp(err_template);
  if (out_fd < 0 || err_fd < 0) {
    throw std::runtime_error(std::string("mkstemp failed: ") + std::strerror(errno));
  }
  out_path_ = out_template;
  err_path_ = err_template;
  std::vector<std::string> argv{required_env("STELLA_BINARY")};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = ::fork();
  if (pid_ < 0) {
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    for (const auto& [key, value] : environment) {
      ::setenv(key.c_str(), value.c_str(), 1);
    }
    std::vector<char*> raw;
    for (auto& arg : argv) {
      raw.push_back(arg.data());
    }
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
}

BackgroundStella::~BackgroundStella() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
  std::error_code ignored;
  std::filesystem::remove(out_path_, ignored);
  std::filesystem::remove(err_path_, ignored);
}

bool BackgroundStella::running() {
  if (reaped_) {
    return false;
  }
  const pid_t done = ::waitpid(pid_, &status_, WNOHANG);
  if (done == pid_) {
    reaped_ = true;
    return false;
  }
  return true;
}

void BackgroundStella::kill_now() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ProcessResult BackgroundStella::wait() {
  if (!reaped_) {
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  ProcessResult result;
  result.exit_code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  result.out = file_text(out_path_);
  result.err = file_text(err_path_);
  return result;
}

std::string BackgroundStella::err() const {
  return file_text(err_path_);
}

}  // namespace stella::test
