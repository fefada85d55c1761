// Is the server of a data directory running? Read from postmaster.pid and checked against the
// process table, so that a file left by a server that died (or a reboot) is recognised as stale.
#pragma once

#include <filesystem>
#include <optional>

namespace stella::host {

enum class PostmasterState {
  /// No postmaster.pid: the server is stopped.
  absent = 1,
  /// The process named by postmaster.pid is alive and serves this data directory.
  alive,
  /// postmaster.pid names a process that is gone or dead but not yet reaped (a zombie), or one that
  /// is not this directory's server (its pid was reused after a crash or reboot).
  stale,
};

struct PostmasterProbe {
  PostmasterState state = PostmasterState::absent;
  std::optional<int> pid;
};

PostmasterProbe probe_postmaster(const std::filesystem::path& data_directory);

/// Removes postmaster.pid of `data_directory` and the socket and socket lock file of `port` in
/// `socket_directory`. Call only when the probe said stale and under the cluster lock.
void remove_stale_server_files(const std::filesystem::path& data_directory,
                               const std::filesystem::path& socket_directory, int port);

}  // namespace stella::host
