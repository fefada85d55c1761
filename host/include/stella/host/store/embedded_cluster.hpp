// The embedded PostgreSQL cluster under the tool's state directory: created with initdb, started
// with pg_ctl, reachable only through a unix socket. When the caller is root, the server runs as
// an unprivileged system user (PostgreSQL refuses to run as root).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "stella/host/cli/global_options.hpp"

namespace stella::host {

/// The default database name of a store.
inline constexpr const char* kDefaultDatabaseName = "stellaops";

struct ClusterStatus {
  bool initialized = false;
  bool running = false;
  /// While running: the server's pid. While stopped uncleanly: the pid of the server that died.
  std::optional<int> pid;
  /// Stopped, but not by a shutdown: the server's process is gone (a crash, a kill, the OOM
  /// killer, a power loss) and left its postmaster.pid behind. The next start recovers from WAL.
  bool stopped_uncleanly = false;
  std::filesystem::path data_directory;
  std::filesystem::path socket_directory;
  int port = 0;
  std::string server_version;
  /// The server's log file (<home>/pg/server.log).
  std::filesystem::path log_file;
  /// The operating-system user the server runs as; empty before the cluster exists.
  std::string server_user;
};

/// What EmbeddedCluster::start found and did.
enum class StartOutcome {
  /// initdb ran and the new cluster was started.
  created = 1,
  /// The cluster existed and was stopped; it was started.
  started,
  /// The server was already running; nothing changed.
  already_running,
};

/// Thread-safety: methods take an exclusive file lock under the home directory, so concurrent
/// `stella` processes never race to create or start the same cluster.
/// Failure: throws sdk::Error(refused) naming the command that failed and its log file.
class EmbeddedCluster {
 public:
  explicit EmbeddedCluster(std::filesystem::path home);

  ClusterStatus status() const;
  /// Creates the cluster if needed, starts it if stopped, creates the stellaops database if
  /// missing. Idempotent. Returns what it did (decided under the lock, so two concurrent callers
  /// never both report `created`).
  StartOutcome start();
  /// Stops the server (fast shutdown). Idempotent. Returns true when a running server was stopped.
  bool stop();
  /// libpq connection string for `database` on this cluster.
  std::string conninfo(const std::string& database = kDefaultDatabaseName) const;

 private:
  std::filesystem::path home_;
};

/// The connection string a verb should use: --database / STELLA_DATABASE when given, otherwise the
/// embedded cluster under --home (started when needed).
std::string resolve_database(const GlobalOptions& globals);

}  // namespace stella::host
