#include "store/postmaster_pid.hpp"

#include <cstdlib>
#include <fstream>
#include <string>

#include "core/local_process.hpp"
#include "store/cluster_layout.hpp"

namespace stella::host {
namespace {

constexpr const char* kPidFileName = "postmaster.pid";
constexpr int kDecimalBase = 10;

/// The postmaster runs in its data directory; a live process elsewhere merely reuses the pid.
/// When /proc does not tell (no /proc, or another user's process), assume it is the server: it is
/// safer to report a server running than to delete the pid file of a live one.
bool serves_directory(int pid, const std::filesystem::path& data_directory) {
  std::error_code error;
  const std::filesystem::path cwd =
      std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/cwd", error);
  if (error) {
    return true;
  }
  const std::filesystem::path expected = std::filesystem::weakly_canonical(data_directory, error);
  return error || cwd == expected;
}

}  // namespace

PostmasterProbe probe_postmaster(const std::filesystem::path& data_directory) {
  PostmasterProbe probe;
  std::ifstream in(data_directory / kPidFileName);
  if (!in) {
    probe.state = PostmasterState::absent;
    return probe;
  }
  std::string first_line;
  std::getline(in, first_line);
  char* end = nullptr;
  // A negative pid marks a single-user backend; it holds the directory just the same.
  const long pid = std::labs(std::strtol(first_line.c_str(), &end, kDecimalBase));
  if (end == first_line.c_str() || pid <= 0) {
    probe.state = PostmasterState::stale;
    return probe;
  }
  probe.pid = static_cast<int>(pid);
  probe.state = process_is_running(*probe.pid) && serves_directory(*probe.pid, data_directory)
                    ? PostmasterState::alive
                    : PostmasterState::stale;
  return probe;
}

void remove_stale_server_files(const std::filesystem::path& data_directory,
                               const std::filesystem::path& socket_directory, int port) {
  std::error_code ignored;
  std::filesystem::remove(data_directory / kPidFileName, ignored);
  const std::filesystem::path socket = socket_file(socket_directory, port);
  std::filesystem::remove(socket, ignored);
  std::filesystem::remove(socket.string() + ".lock", ignored);
}

}  // namespace stella::host
