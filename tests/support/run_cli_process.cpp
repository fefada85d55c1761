#include "support/run_cli_process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace stella::test {

StartedProcess start_process(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& environment,
                             const std::string& working_directory) {
  char out_template[] = "/tmp/stella-test-out-XXXXXX";
  char err_template[] = "/tmp/stella-test-err-XXXXXX";
  const int out_fd = ::mkstemp(out_template);
  const int err_fd = ::mkstemp(err_template);
  if (out_fd < 0 || err_fd < 0) {
    throw std::runtime_error(std::string("mkstemp failed: ") + std::strerror(errno));
  }
  StartedProcess process;
  process.out_path = out_template;
  process.err_path = err_template;
  process.pid = ::fork();
  if (process.pid < 0) {
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  if (process.pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    for (const auto& [key, value] : environment) {
      ::setenv(key.c_str(), value.c_str(), 1);
    }
    if (!working_directory.empty() && ::chdir(working_directory.c_str()) != 0) {
      ::_exit(127);
    }
    std::vector<char*> raw;
    for (const auto& arg : argv) {
      raw.push_back(const_cast<char*>(arg.c_str()));
    }
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
  return process;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

ProcessResult finished_process(const StartedProcess& process, int wait_status) {
  ProcessResult result;
  result.exit_code =
      WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  result.out = read_text_file(process.out_path);
  result.err = read_text_file(process.err_path);
  return result;
}

void remove_output_files(const StartedProcess& process) {
  std::error_code ignored;
  std::filesystem::remove(process.out_path, ignored);
  std::filesystem::remove(process.err_path, ignored);
}

namespace {

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& environment,
                          const std::string& working_directory) {
  const StartedProcess process = start_process(argv, environment, working_directory);
  int status = 0;
  while (::waitpid(process.pid, &status, 0) < 0 && errno == EINTR) {
  }
  ProcessResult result = finished_process(process, status);
  remove_output_files(process);
  return result;
}

}  // namespace

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(std::string("environment variable ") + name +
                             " is not set; run this test through ctest");
  }
  return value;
}

ProcessResult run_stella(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& environment,
                         const std::string& working_directory) {
  std::vector<std::string> argv{required_env("STELLA_BINARY")};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, environment, working_directory);
}

ProcessResult run_shell(const std::string& script,
                        const std::map<std::string, std::string>& environment,
                        const std::string& working_directory) {
  return run_process({"/bin/sh", "-c", script}, environment, working_directory);
}

}  // namespace stella::test
