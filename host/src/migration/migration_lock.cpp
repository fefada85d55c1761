// The session-level advisory lock of migration runs, and naming whoever holds it.
#include "stella/host/migration/migration_lock.hpp"

#include "stella/host/migration/run_journal.hpp"

namespace stella::host {
namespace {

/// pg_locks shows a bigint advisory key as two oids: the high and the low 32 bits.
constexpr const char* kHolderPid =
    "SELECT l.pid FROM pg_locks l "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid = (($1::bigint >> 32) & 4294967295)::oid "
    "AND l.objid = ($1::bigint & 4294967295)::oid";

#define ISO_UTC(column) "to_char((" column ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

}  // namespace

bool try_acquire_migration_lock(PgConnection& connection) {
  const PgResult result = connection.exec("SELECT pg_try_advisory_lock($1::bigint)",
                                          {std::to_string(kMigrationLockKey)});
  return result.get(0, 0) == "t";
}

void release_migration_lock(PgConnection& connection) {
  connection.exec("SELECT pg_advisory_unlock($1::bigint)", {std::to_string(kMigrationLockKey)});
}

int migration_lock_holder_pid(PgConnection& connection) {
  const PgResult result = connection.exec(kHolderPid, {std::to_string(kMigrationLockKey)});
  return result.rows() == 0 ? 0 : static_cast<int>(result.get_int64(0, 0));
}

std::string describe_migration_lock_holder(PgConnection& connection) {
  const int pid = migration_lock_holder_pid(connection);
  if (pid == 0) {
    return "nobody";
  }
  const PgResult session = connection.exec(
      "SELECT coalesce(nullif(application_name, ''), 'no application name'), "
      "coalesce(host(client_addr), 'a local socket'), " ISO_UTC("backend_start") ", usename "
      "FROM pg_stat_activity WHERE pid = $1",
      {std::to_string(pid)});
  std::string server = "server process " + std::to_string(pid);
  if (session.rows() > 0) {
    server += " (application '" + std::string(session.get(0, 0)) + "', database user " +
              std::string(session.get(0, 3)) + ", connected from " +
              std::string(session.get(0, 1)) + " since " + std::string(session.get(0, 2)) + ")";
  }
  if (run_journal_exists(connection)) {
    const PgResult run = connection.exec(
        "SELECT run_id, kind, from_version, to_version, status, operator, client_host, "
        "client_pid, " ISO_UTC("started_at") " FROM stella.migration_runs "
        "WHERE backend_pid = $1 AND status IN ('running', 'rolling_back', 'rollback_failed') "
        "ORDER BY run_id DESC LIMIT 1",
        {std::to_string(pid)});
    if (run.rows() > 0) {
      return "run " + std::string(run.get(0, 0)) + " (" + std::string(run.get(0, 1)) + " " +
             std::string(run.get(0, 2)) + " \u2192 " + std::string(run.get(0, 3)) + ", " +
             std::string(run.get(0, 4)) + ") of operator " + std::string(run.get(0, 5)) +
             " on host " + std::string(run.get(0, 6)) + " (pid " + std::string(run.get(0, 7)) +
             "), started at " + std::string(run.get(0, 8)) + "; " + server;
    }
  }
  return server + ", which is not a recorded stella migration run";
}

}  // namespace stella::host
