#include "core/local_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <fstream>

namespace stella::host {
namespace {

/// Longest host name gethostname may return on Linux, with its terminator.
constexpr std::size_t kHostNameBuffer = 256;

/// The process state letter of /proc/<pid>/stat ('R', 'S', 'Z', ...), or '\0' when /proc does not
/// tell. The command name before it is in parentheses and may itself hold spaces and parentheses,
/// so the state is the first field after the last ')'.
char process_state(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  const std::size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos || name_end + 2 >= stat.size()) {
    return '\0';
  }
  return stat[name_end + 2];
}

}  // namespace

std::string local_host_name() {
  std::array<char, kHostNameBuffer> buffer{};
  if (::gethostname(buffer.data(), buffer.size() - 1) != 0) {
    return "unknown-host";
  }
  return buffer.data();
}

bool process_is_running(int pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) {
    return false;
  }
  return !process_is_zombie(pid);
}

bool process_is_zombie(int pid) {
  const char state = process_state(pid);
  return state == 'Z' || state == 'X';
}

}  // namespace stella::host
