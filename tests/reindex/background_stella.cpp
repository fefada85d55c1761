#include "reindex/background_stella.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace stella::test {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

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
  std::vector<std::string> argv = {required_env("STELLA_BINARY")};
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
  if (!waited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::filesystem::remove(out_path_);
  std::filesystem::remove(err_path_);
}

void BackgroundStella::kill_hard() {
  if (!waited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
  }
}

ProcessResult BackgroundStella::wait() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  waited_ = true;
  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path_);
  result.err = read_file(err_path_);
  return result;
}

}  // namespace stella::test
