// EmbeddedCluster: initdb, start, stop and status of the private PostgreSQL cluster under the
// state directory (docs/embedded-database.md).
#include "stella/host/store/embedded_cluster.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"
#include "store/child_process.hpp"
#include "store/cluster_layout.hpp"
#include "store/cluster_lock.hpp"
#include "store/cluster_state_file.hpp"
#include "store/conninfo_text.hpp"
#include "store/postgres_binaries.hpp"
#include "store/postmaster_pid.hpp"
#include "store/server_account.hpp"

namespace stella::host {
namespace {

constexpr mode_t kPrivateDirectoryMode = 0700;
constexpr mode_t kHomeDirectoryMode = 0755;
/// How long pg_ctl waits for the server to come up or go down (crash recovery after an unclean
/// stop can take a while on a large store).
constexpr const char* kServerWaitSeconds = "120";
/// Lines of server.log (and of a failing program's output) quoted in an error.
constexpr std::size_t kLogTailLines = 20;
constexpr const char* kMaintenanceDatabase = "postgres";
constexpr const char* kVersionFileName = "PG_VERSION";

/// The file's content from byte `offset` on (all of it when the file has shrunk since).
std::string read_text_from(const std::filesystem::path& file, std::uintmax_t offset) {
  std::ifstream in(file, std::ios::binary);
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uintmax_t>(std::max<std::streamoff>(in.tellg(), 0));
  in.seekg(static_cast<std::streamoff>(offset <= size ? offset : 0));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::uintmax_t current_size(const std::filesystem::path& file) {
  std::error_code missing;
  const std::uintmax_t size = std::filesystem::file_size(file, missing);
  return missing ? 0 : size;
}

bool is_initialized(const ClusterLayout& layout) {
  return std::filesystem::exists(layout.data_directory / kVersionFileName);
}

std::optional<std::string> data_major_version(const ClusterLayout& layout) {
  std::ifstream in(layout.data_directory / kVersionFileName);
  std::string version;
  if (!in || !std::getline(in, version) || version.empty()) {
    return std::nullopt;
  }
  return version;
}

ClusterState current_or_planned_state(const ClusterLayout& layout) {
  if (auto recorded = read_cluster_state(layout.state_file)) {
    return *recorded;
  }
  return ClusterState{choose_socket_directory(layout), kEmbeddedPort, {}};
}

std::string make_conninfo(const ClusterState& state, const std::string& database) {
  return "host=" + quote_conninfo_value(state.socket_directory.string()) +
         " port=" + std::to_string(state.port) + " dbname=" + quote_conninfo_value(database) +
         " user=" + kClusterSuperuser;
}

/// Creates the state directory and any missing parent with mode 0755 whatever the umask says: the
/// server's user must be able to pass through them to reach pg/.
void create_home(const std::filesystem::path& home) {
  if (std::filesystem::exists(home)) {
    return;
  }
  create_home(home.parent_path());
  if (::mkdir(home.c_str(), kHomeDirectoryMode) != 0 && errno != EEXIST) {
    throw sdk::Error(
        sdk::ErrorCode::refused,
        "cannot create the state directory " + home.string() + ": " + std::strerror(errno),
        "choose a writable --home (or STELLA_HOME)");
  }
  std::filesystem::permissions(home, static_cast<std::filesystem::perms>(kHomeDirectoryMode));
}

void check_reachable(const ServerAccount& account, const ClusterLayout& layout) {
  if (!account.switch_user) {
    return;
  }
  const auto blocked = first_unenterable_directory(account, layout.home);
  if (!blocked) {
    return;
  }
  struct stat info {};
  const bool known = ::stat(blocked->c_str(), &info) == 0;
  std::ostringstream mode;
  mode << std::oct << (info.st_mode & 07777);
  throw sdk::Error(
      sdk::ErrorCode::refused,
      "the embedded PostgreSQL server runs as user '" + account.name +
          "' (PostgreSQL refuses to run as root), and that user cannot enter " + blocked->string() +
          (known ? " (mode " + mode.str() + ")" : std::string()) +
          " on the way to the state directory " + layout.home.string(),
      "use a state directory every user may pass through, such as the default /var/lib/stella "
      "(--home or STELLA_HOME), or allow passing through with `chmod o+x " +
          blocked->string() + "`");
}

/// The socket directory must be a real directory owned by the server's user. A directory under
/// /tmp that someone else made must not be adopted: they could watch or replace the socket.
void prepare_socket_directory(const ServerAccount& account, const ClusterLayout& layout,
                              const std::filesystem::path& directory) {
  struct stat info {};
  if (::lstat(directory.c_str(), &info) != 0) {
    if (::mkdir(directory.c_str(), kPrivateDirectoryMode) != 0 && errno != EEXIST) {
      throw sdk::Error(
          sdk::ErrorCode::refused,
          "cannot create the socket directory " + directory.string() + ": " + std::strerror(errno));
    }
    hand_over(account, directory, kPrivateDirectoryMode);
    return;
  }
  const bool ours = directory.parent_path() == layout.pg_directory;
  if (!S_ISDIR(info.st_mode)) {
    throw sdk::Error(
        sdk::ErrorCode::refused,
        "the socket directory " + directory.string() + " exists but is not a directory",
        "remove it, then run `stella db start` again");
  }
  if (!ours && info.st_uid != account.uid) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the socket directory " + directory.string() + " belongs to uid " +
                         std::to_string(info.st_uid) + ", not to the server's user '" +
                         account.name + "'",
                     "remove " + directory.string() +
                         " (someone else created it), then run `stella db start` again");
  }
  hand_over(account, directory, kPrivateDirectoryMode);
}

std::string postgresql_conf_string(const std::string& value) {
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') {
      quoted += c;
    }
    quoted += c;
  }
  return quoted + "'";
}

void initialize(const ClusterLayout& layout, const ServerAccount& account,
                const PostgresBinaries& binaries, const ClusterState& state) {
  std::filesystem::remove_all(layout.staging_data_directory);
  const std::vector<std::string> argv = {binaries.initdb().string(),
                                         "--pgdata=" + layout.staging_data_directory.string(),
                                         std::string("--username=") + kClusterSuperuser,
                                         "--auth-local=trust",
                                         "--auth-host=reject",
                                         "--encoding=UTF8",
                                         "--locale=C"};
  const ChildOutcome outcome = run_child(argv, &account, layout.pg_directory);
  if (outcome.exit_code != 0) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "initdb failed (exit " + std::to_string(outcome.exit_code) +
                         ") creating the embedded cluster in " + layout.data_directory.string() +
                         ":\n" + last_lines(outcome.output, kLogTailLines),
                     "fix the cause above and run `stella db start` again; nothing was created");
  }
  {
    std::ofstream conf(layout.staging_data_directory / "postgresql.conf", std::ios::app);
    conf << "\n# Added by stella (docs/embedded-database.md): no TCP at all; one unix socket in a\n"
         << "# directory only the server's user may enter.\n"
         << "listen_addresses = ''\n"
         << "port = " << state.port << '\n'
         << "unix_socket_directories = " << postgresql_conf_string(state.socket_directory.string())
         << '\n';
    if (!conf.flush()) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "cannot append the socket settings to " +
                           (layout.staging_data_directory / "postgresql.conf").string());
    }
  }
  std::filesystem::rename(layout.staging_data_directory, layout.data_directory);
}

void run_pg_ctl(const ClusterLayout& layout, const ServerAccount& account,
                const PostgresBinaries& binaries, const std::string& action) {
  std::vector<std::string> argv = {binaries.pg_ctl().string(),
                                   "--pgdata=" + layout.data_directory.string(), "--wait",
                                   std::string("--timeout=") + kServerWaitSeconds, "--silent"};
  if (action == "start") {
    argv.push_back("--log=" + layout.log_file.string());
    // A command killed while its statement waits (for a lock, say) leaves a backend that notices
    // only when it next writes to the socket: it would hold its place in the lock queue, and
    // other commands would name it as the session they wait for. Checked every 2 s instead. A
    // server option, so existing clusters get it on their next start too.
    argv.push_back("--options=-c client_connection_check_interval=2000");
  } else {
    argv.push_back("--mode=fast");
  }
  argv.push_back(action);
  // Only what the server logs during this attempt explains its failure.
  const std::uintmax_t log_offset = current_size(layout.log_file);
  const ChildOutcome outcome = run_child(argv, &account, layout.pg_directory);
  if (outcome.exit_code == 0) {
    return;
  }
  std::string message = "pg_ctl " + action + " of the embedded PostgreSQL server in " +
                        layout.data_directory.string() + " failed (exit " +
                        std::to_string(outcome.exit_code) + ")";
  const std::string said = last_lines(outcome.output, kLogTailLines);
  if (!said.empty()) {
    message += ":\n" + said;
  }
  const std::string log_tail =
      last_lines(read_text_from(layout.log_file, log_offset), kLogTailLines);
  if (!log_tail.empty()) {
    message += "\nlast lines of " + layout.log_file.string() + ":\n" + log_tail;
  }
  throw sdk::Error(sdk::ErrorCode::refused, message,
                   "fix the cause shown above, then run `stella db " + action + "` again");
}

void ensure_database(const ClusterState& state, const std::string& database) {
  const auto connection = PgConnection::connect(make_conninfo(state, kMaintenanceDatabase));
  if (connection->exec("SELECT 1 FROM pg_database WHERE datname = $1", {database}).rows() == 0) {
    connection->exec("CREATE DATABASE " + connection->quote_identifier(database));
  }
}

std::string running_server_version(const ClusterState& state) {
  try {
    const auto connection = PgConnection::connect(make_conninfo(state, kMaintenanceDatabase));
    return std::string(connection->exec("SHOW server_version").get(0, 0));
  } catch (const sdk::Error&) {
    return {};  // starting up or shutting down: status still reports what it can
  }
}

}  // namespace

EmbeddedCluster::EmbeddedCluster(std::filesystem::path home) : home_(std::move(home)) {}

ClusterStatus EmbeddedCluster::status() const {
  const ClusterLayout layout = cluster_layout(home_);
  ClusterStatus status;
  status.data_directory = layout.data_directory;
  status.log_file = layout.log_file;
  if (!std::filesystem::exists(layout.pg_directory)) {
    const ClusterState planned = current_or_planned_state(layout);
    status.socket_directory = planned.socket_directory;
    status.port = planned.port;
    return status;
  }
  ClusterLock lock(layout.lock_file);
  const ClusterState state = current_or_planned_state(layout);
  status.socket_directory = state.socket_directory;
  status.port = state.port;
  status.server_user = state.server_user;
  status.initialized = is_initialized(layout);
  if (!status.initialized) {
    return status;
  }
  const PostmasterProbe probe = probe_postmaster(layout.data_directory);
  status.running = probe.state == PostmasterState::alive;
  status.stopped_uncleanly = probe.state == PostmasterState::stale;
  if (status.running) {
    status.pid = probe.pid;
    status.server_version = running_server_version(state);
  } else if (status.stopped_uncleanly) {
    status.pid = probe.pid;
  }
  if (status.server_version.empty()) {
    status.server_version = data_major_version(layout).value_or("");
  }
  return status;
}

StartOutcome EmbeddedCluster::start() {
  const ClusterLayout layout = cluster_layout(home_);
  // Checked before anything is created: a state directory the server's user cannot reach is
  // refused with the directory that blocks it, not with an initdb failure.
  const auto recorded_user = [&layout]() -> std::optional<std::string> {
    if (auto recorded = read_cluster_state(layout.state_file)) {
      return recorded->server_user;
    }
    return std::nullopt;
  };
  check_reachable(choose_server_account(recorded_user()), layout);
  create_home(layout.home);
  std::filesystem::create_directories(layout.pg_directory);
  ClusterLock lock(layout.lock_file);

  // Read again under the lock: a concurrent start may have created the cluster meanwhile.
  const std::optional<ClusterState> recorded = read_cluster_state(layout.state_file);
  const ServerAccount account = choose_server_account(
      recorded ? std::optional<std::string>(recorded->server_user) : std::nullopt);
  ClusterState state = current_or_planned_state(layout);
  state.server_user = account.name;
  hand_over(account, layout.pg_directory, kPrivateDirectoryMode);
  prepare_socket_directory(account, layout, state.socket_directory);

  const PostgresBinaries binaries = find_postgres_binaries(data_major_version(layout));
  StartOutcome outcome = StartOutcome::already_running;
  if (!is_initialized(layout)) {
    initialize(layout, account, binaries, state);
    outcome = StartOutcome::created;
  }
  if (!recorded) {
    write_cluster_state(layout.state_file, state);
  }
  const PostmasterProbe probe = probe_postmaster(layout.data_directory);
  if (probe.state != PostmasterState::alive) {
    if (probe.state == PostmasterState::stale) {
      remove_stale_server_files(layout.data_directory, state.socket_directory, state.port);
    }
    run_pg_ctl(layout, account, binaries, "start");
    if (outcome != StartOutcome::created) {
      outcome = StartOutcome::started;
    }
  }
  ensure_database(state, kDefaultDatabaseName);
  return outcome;
}

bool EmbeddedCluster::stop() {
  const ClusterLayout layout = cluster_layout(home_);
  if (!std::filesystem::exists(layout.pg_directory)) {
    return false;
  }
  ClusterLock lock(layout.lock_file);
  if (!is_initialized(layout)) {
    return false;
  }
  const ClusterState state = current_or_planned_state(layout);
  const PostmasterProbe probe = probe_postmaster(layout.data_directory);
  if (probe.state == PostmasterState::absent) {
    return false;
  }
  if (probe.state == PostmasterState::stale) {
    remove_stale_server_files(layout.data_directory, state.socket_directory, state.port);
    return false;
  }
  const ServerAccount account = choose_server_account(
      state.server_user.empty() ? std::nullopt : std::optional<std::string>(state.server_user));
  run_pg_ctl(layout, account, find_postgres_binaries(data_major_version(layout)), "stop");
  return true;
}

std::string EmbeddedCluster::conninfo(const std::string& database) const {
  return make_conninfo(current_or_planned_state(cluster_layout(home_)), database);
}

}  // namespace stella::host
