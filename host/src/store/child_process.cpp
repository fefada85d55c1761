#include "store/child_process.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Exit status a shell uses for "could not execute"; the child reports setup failures with it.
constexpr int kCannotExecute = 127;
constexpr int kSignalExitBase = 128;
constexpr mode_t kChildUmask = 077;
constexpr unsigned int kFirstInheritableDescriptor = 3;
constexpr std::size_t kReadChunk = 4096;

/// Writes a setup failure to the output before _exit (async-signal-safe).
void child_fail(const char* what) {
  const char* why = std::strerror(errno);
  [[maybe_unused]] auto a = ::write(STDERR_FILENO, what, std::strlen(what));
  [[maybe_unused]] auto b = ::write(STDERR_FILENO, ": ", 2);
  [[maybe_unused]] auto c = ::write(STDERR_FILENO, why, std::strlen(why));
  [[maybe_unused]] auto d = ::write(STDERR_FILENO, "\n", 1);
  ::_exit(kCannotExecute);
}

}  // namespace

ChildOutcome run_child(const std::vector<std::string>& argv, const ServerAccount* account,
                       const std::filesystem::path& working_directory) {
  const int output = ::memfd_create("stella-child-output", MFD_CLOEXEC);
  if (output < 0) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     std::string("memfd_create failed: ") + std::strerror(errno));
  }
  std::vector<char*> raw;
  for (const auto& arg : argv) {
    raw.push_back(const_cast<char*>(arg.c_str()));
  }
  raw.push_back(nullptr);
  const std::string directory = working_directory.string();

  const pid_t child = ::fork();
  if (child < 0) {
    const int error = errno;
    ::close(output);
    throw sdk::Error(sdk::ErrorCode::internal,
                     "cannot start " + command_line_text(argv) + ": " + std::strerror(error));
  }
  if (child == 0) {
    const int null_input = ::open("/dev/null", O_RDONLY);
    if (null_input < 0 || ::dup2(null_input, STDIN_FILENO) < 0 ||
        ::dup2(output, STDOUT_FILENO) < 0 || ::dup2(output, STDERR_FILENO) < 0) {
      ::_exit(kCannotExecute);
    }
    ::close_range(kFirstInheritableDescriptor, ~0U, 0);
    ::umask(kChildUmask);
    if (account != nullptr && !become_account(*account)) {
      child_fail("cannot switch to the server's user");
    }
    if (::chdir(directory.c_str()) != 0) {
      child_fail("cannot enter the working directory");
    }
    ::execvp(raw[0], raw.data());
    child_fail(raw[0]);
  }

  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  ChildOutcome outcome;
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : kSignalExitBase + WTERMSIG(status);
  ::lseek(output, 0, SEEK_SET);
  char buffer[kReadChunk];
  ssize_t got = 0;
  while ((got = ::read(output, buffer, sizeof buffer)) > 0) {
    outcome.output.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(output);
  return outcome;
}

std::string command_line_text(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) {
    text += (text.empty() ? "" : " ") + arg;
  }
  return text;
}

std::string last_lines(const std::string& text, std::size_t count) {
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') {
    --end;
  }
  std::size_t start = end;
  for (std::size_t lines = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++lines == count) {
      break;
    }
  }
  return text.substr(start, end - start);
}

}  // namespace stella::host
