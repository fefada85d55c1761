// Where the embedded cluster keeps its files under the state directory, and which unix socket
// directory it uses.
#pragma once

#include <filesystem>

namespace stella::host {

/// The socket is the only way in, but its file name still carries a port number
/// (.s.PGSQL.<port>). Every cluster has its own socket directory, so one fixed number never
/// clashes.
inline constexpr int kEmbeddedPort = 5432;
/// The PostgreSQL superuser initdb creates; local socket connections are trusted.
inline constexpr const char* kClusterSuperuser = "stella";

struct ClusterLayout {
  /// The state directory, absolute.
  std::filesystem::path home;
  /// <home>/pg: everything of the cluster; owned by the server's user, mode 0700.
  std::filesystem::path pg_directory;
  /// <home>/pg/data: the data directory.
  std::filesystem::path data_directory;
  /// <home>/pg/data.initdb: where initdb works before the result is renamed into place, so a
  /// killed initdb never leaves a half-made data directory.
  std::filesystem::path staging_data_directory;
  /// <home>/pg/server.log: the server's log.
  std::filesystem::path log_file;
  /// <home>/pg/.lock: flock'ed by every status/start/stop.
  std::filesystem::path lock_file;
  /// <home>/pg/cluster.json: socket directory, port and server user chosen at initdb.
  std::filesystem::path state_file;
  /// <home>/pg/run: the socket directory, unless its socket path would be too long.
  std::filesystem::path default_socket_directory;
};

/// The layout under `home` (made absolute).
ClusterLayout cluster_layout(const std::filesystem::path& home);

/// The socket file PostgreSQL creates in `directory` for `port`.
std::filesystem::path socket_file(const std::filesystem::path& directory, int port);

/// <home>/pg/run when the socket path in it fits the kernel's limit for unix socket paths (107
/// bytes); otherwise /tmp/stella-pg-<hash of home>, which always fits and is the same on every
/// call.
std::filesystem::path choose_socket_directory(const ClusterLayout& layout);

}  // namespace stella::host
