// `stella db status|start|stop|url|env`: control of the embedded PostgreSQL cluster, and the
// connection details for psql, pg_dump and pg_restore.
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <boost/program_options.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "cli/command_registrars.hpp"
#include "core/shell_quote.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"
#include "store/cluster_layout.hpp"
#include "store/conninfo_text.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

constexpr const char* kGroup = "db";
constexpr const char* kFormatText = "text";
constexpr const char* kFormatJson = "json";
/// Width of the labels in `db status` text output.
constexpr std::size_t kLabelWidth = 14;

constexpr const char* kExternalRefusal =
    "--database names an external server; stella only starts and stops its embedded cluster";

constexpr const char* kExitCodesEpilog =
    "Exit codes: 0 success, 2 bad usage, 3 the server could not be reached, started or stopped.";

bool wants_json(const Invocation& invocation) {
  const std::string& format = invocation.globals.format;
  if (format.empty() || format == kFormatText) {
    return false;
  }
  if (format == kFormatJson) {
    return true;
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "--format is '" + format + "'; `stella db` supports text or json",
                   "use --format json or leave --format out");
}

void refuse_external(const Invocation& invocation) {
  if (invocation.globals.database) {
    throw sdk::Error(sdk::ErrorCode::refused, kExternalRefusal,
                     "run it without --database (and without STELLA_DATABASE) to control the "
                     "embedded cluster under --home; manage an external server with its own tools");
  }
}

void say(const Invocation& invocation, const std::string& message) {
  if (!invocation.globals.quiet) {
    invocation.err << message << '\n';
  }
}

void label(std::ostream& out, const std::string& name, const std::string& value) {
  const std::string heading = name + ":";
  out << "  " << heading
      << std::string(heading.size() < kLabelWidth ? kLabelWidth - heading.size() : 1, ' ') << value
      << '\n';
}

void write_json(
    std::ostream& out,
    const std::function<void(rapidjson::PrettyWriter<rapidjson::StringBuffer>&)>& fill) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  fill(writer);
  writer.EndObject();
  out << buffer.GetString() << '\n';
}

int external_status(Invocation& invocation) {
  const std::string& conninfo = *invocation.globals.database;
  const auto connection = PgConnection::connect(conninfo);
  const std::string version(connection->exec("SHOW server_version").get(0, 0));
  const std::string database(connection->exec("SELECT current_database()").get(0, 0));
  const std::string shown = redacted_conninfo(conninfo);
  if (wants_json(invocation)) {
    write_json(invocation.out, [&](auto& writer) {
      writer.Key("kind");
      writer.String("external");
      writer.Key("running");
      writer.Bool(true);
      writer.Key("serverVersion");
      writer.String(version);
      writer.Key("database");
      writer.String(database);
      writer.Key("connectionString");
      writer.String(shown);
    });
    return kExitSuccess;
  }
  invocation.out << "External PostgreSQL server (--database / STELLA_DATABASE)\n";
  label(invocation.out, "state", "reachable");
  label(invocation.out, "server", "PostgreSQL " + version);
  label(invocation.out, "database", database);
  label(invocation.out, "connection", shown);
  return kExitSuccess;
}

std::string state_text(const ClusterStatus& status) {
  if (!status.initialized) {
    return "not created yet (`stella db start` creates and starts it)";
  }
  if (status.stopped_uncleanly) {
    return "stopped, not cleanly: its process" +
           (status.pid ? " (pid " + std::to_string(*status.pid) + ")" : std::string()) +
           " is gone and left postmaster.pid behind (a crash, a kill, the OOM killer, a power "
           "loss: `dmesg`, the system journal or the server log may say which). `stella db "
           "start`, or the next verb that needs it, starts it and PostgreSQL recovers from its "
           "WAL";
  }
  if (!status.running) {
    return "stopped (`stella db start` starts it)";
  }
  return "running (pid " + std::to_string(status.pid.value_or(0)) + ")";
}

int status_verb(Invocation& invocation) {
  if (invocation.globals.database) {
    return external_status(invocation);
  }
  const bool json = wants_json(invocation);
  EmbeddedCluster cluster(invocation.globals.home);
  const ClusterStatus status = cluster.status();
  const std::string conninfo = cluster.conninfo();
  const std::string home = cluster_layout(invocation.globals.home).home.string();
  if (json) {
    write_json(invocation.out, [&](auto& writer) {
      writer.Key("kind");
      writer.String("embedded");
      writer.Key("home");
      writer.String(home);
      writer.Key("initialized");
      writer.Bool(status.initialized);
      writer.Key("running");
      writer.Bool(status.running);
      writer.Key("stoppedUncleanly");
      writer.Bool(status.stopped_uncleanly);
      writer.Key("pid");
      if (status.pid) {
        writer.Int(*status.pid);
      } else {
        writer.Null();
      }
      writer.Key("serverVersion");
      writer.String(status.server_version);
      writer.Key("dataDirectory");
      writer.String(status.data_directory.string());
      writer.Key("socketDirectory");
      writer.String(status.socket_directory.string());
      writer.Key("port");
      writer.Int(status.port);
      writer.Key("logFile");
      writer.String(status.log_file.string());
      writer.Key("serverUser");
      writer.String(status.server_user);
      writer.Key("connectionString");
      writer.String(conninfo);
    });
    return kExitSuccess;
  }
  std::ostream& out = invocation.out;
  out << "Embedded PostgreSQL cluster under " << home << '\n';
  label(out, "state", state_text(status));
  if (!status.server_version.empty()) {
    label(out, "server", "PostgreSQL " + status.server_version);
  }
  label(out, "data", status.data_directory.string());
  label(out, "socket", socket_file(status.socket_directory, status.port).string());
  label(out, "log", status.log_file.string());
  if (!status.server_user.empty()) {
    label(out, "server user", status.server_user);
  }
  label(out, "connection", conninfo);
  return kExitSuccess;
}

int start_verb(Invocation& invocation) {
  refuse_external(invocation);
  EmbeddedCluster cluster(invocation.globals.home);
  const StartOutcome outcome = cluster.start();
  const std::string pid = std::to_string(cluster.status().pid.value_or(0));
  const std::string where = cluster_layout(invocation.globals.home).home.string();
  switch (outcome) {
    case StartOutcome::already_running:
      say(invocation,
          "embedded PostgreSQL cluster under " + where + " is already running (pid " + pid + ")");
      break;
    case StartOutcome::created:
    case StartOutcome::started:
      say(invocation, "embedded PostgreSQL cluster under " + where + " " +
                          (outcome == StartOutcome::created ? "created and started" : "started") +
                          " (pid " + pid + "); connect with: " + cluster.conninfo());
      break;
  }
  return kExitSuccess;
}

/// The other stella sessions of the running embedded server, one line each ("pid 123, stella
/// migrate work (run 5), active for 42 s"); empty when it is not running or none is there.
std::vector<std::string> stella_sessions_at_work(EmbeddedCluster& cluster) {
  if (!cluster.status().running) {
    return {};
  }
  const auto connection = PgConnection::connect(cluster.conninfo("postgres"));
  const PgResult rows = connection->exec(
      "SELECT pid, application_name, coalesce(state, ''), datname, "
      "  coalesce(extract(epoch FROM now() - backend_start)::bigint, 0) "
      "FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() "
      "AND application_name LIKE 'stella%' ORDER BY backend_start");
  std::vector<std::string> sessions;
  for (int r = 0; r < rows.rows(); ++r) {
    sessions.push_back("pid " + std::string(rows.get(r, 0)) + ", " + std::string(rows.get(r, 1)) +
                       " on database " + std::string(rows.get(r, 3)) + ", " +
                       std::string(rows.get(r, 2)) + ", connected " + std::string(rows.get(r, 4)) +
                       " s ago");
  }
  return sessions;
}

int stop_verb(Invocation& invocation) {
  refuse_external(invocation);
  EmbeddedCluster cluster(invocation.globals.home);
  // A fast shutdown ends every session: a migration or reindex stops where it is, an import or
  // export leaves nothing. The operator decides that knowingly.
  const std::vector<std::string> at_work = invocation.options["force"].as<bool>()
                                               ? std::vector<std::string>{}
                                               : stella_sessions_at_work(cluster);
  if (!at_work.empty()) {
    std::string list;
    for (const std::string& session : at_work) {
      list += "\n  " + session;
    }
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the embedded server has " + std::to_string(at_work.size()) +
                         " stella session" + (at_work.size() == 1 ? "" : "s") +
                         " at work; stopping it now would interrupt them (a migration or reindex "
                         "stops where it is and needs --resume, an import or export leaves "
                         "nothing):" +
                         list,
                     "wait for them to finish (`stella evidence migrate --status`, `stella "
                     "evidence reindex --progress` show where a run stands), or stop anyway with "
                     "`stella db stop --force`");
  }
  const bool stopped = cluster.stop();
  const std::string where = cluster_layout(invocation.globals.home).home.string();
  say(invocation, "embedded PostgreSQL cluster under " + where + " " +
                      (stopped ? "stopped" : "was not running"));
  return kExitSuccess;
}

/// The connection string of the selected server; warns when the embedded one is not running.
std::string selected_conninfo(Invocation& invocation) {
  if (invocation.globals.database) {
    return *invocation.globals.database;
  }
  EmbeddedCluster cluster(invocation.globals.home);
  if (!cluster.status().running) {
    say(invocation, "note: the embedded PostgreSQL cluster under " +
                        cluster_layout(invocation.globals.home).home.string() +
                        " is not running; `stella db start` starts it");
  }
  return cluster.conninfo();
}

int url_verb(Invocation& invocation) {
  invocation.out << selected_conninfo(invocation) << '\n';
  return kExitSuccess;
}

int env_verb(Invocation& invocation) {
  for (const auto& [variable, value] : conninfo_environment(selected_conninfo(invocation))) {
    invocation.out << "export " << variable << '=' << shell_quote(value) << '\n';
  }
  return kExitSuccess;
}

}  // namespace

void register_db_commands(CommandTable& table) {
  table.add(Command{
      kGroup, "status", "Show whether the database server is up, where it lives, how to connect",
      "", 0, nullptr,
      "Without --database: the embedded cluster under --home (created by `stella db start` or by\n"
      "the first verb that needs the store). Exits 0 whether it is running or stopped; the state\n"
      "line says which. With --database: connects to that server and shows its version (exit 3\n"
      "when it cannot be reached). --format json prints one object "
      "(schemas/db-status.schema.json).\n" +
          std::string(kExitCodesEpilog),
      status_verb});
  table.add(Command{
      kGroup, "start", "Create (initdb) and start the embedded PostgreSQL cluster", "", 0, nullptr,
      "Creates the cluster under <home>/pg on first use, starts it, and creates the database\n"
      "stellaops. Does nothing when it is already running. The server listens on a unix socket\n"
      "only; when run as root it runs as an unprivileged user (docs/embedded-database.md).\n"
      "Refused (exit 3) with --database: stella does not control external servers.\n" +
          std::string(kExitCodesEpilog),
      start_verb, true});
  table.add(Command{
      kGroup, "stop", "Stop the embedded PostgreSQL cluster (fast shutdown)", "", 0,
      [](po::options_description& options) {
        options.add_options()("force", po::bool_switch(),
                              "stop even while other stella commands are connected");
      },
      "Disconnects sessions, rolls back open transactions and stops the server. Does nothing\n"
      "when it is not running. Refused (exit 3) with --database, and while another stella\n"
      "command (a migration, a reindex, an import) is connected, naming it, unless --force.\n" +
          std::string(kExitCodesEpilog),
      stop_verb, true});
  table.add(Command{
      kGroup, "url", "Print the libpq connection string of the store's server", "", 0, nullptr,
      "Prints the connection string of the embedded cluster (or --database unchanged), e.g.\n"
      "  psql \"$(stella db url)\"\n" +
          std::string(kExitCodesEpilog),
      url_verb, true});
  table.add(Command{
      kGroup, "env", "Print PGHOST/PGPORT/PGUSER/PGDATABASE exports for psql, pg_dump, pg_restore",
      "", 0, nullptr,
      "Prints shell `export` lines naming the store's server, so PostgreSQL's own tools reach it:\n"
      "  eval \"$(stella db env)\"\n"
      "  pg_dump -Fc -n evidence -f /backup/stellaops-backup.dump\n"
      "  pg_restore -d stellaops --table='evidence.*' /backup/stellaops-backup.dump\n" +
          std::string(kExitCodesEpilog),
      env_verb, true});
}

}  // namespace stella::host
