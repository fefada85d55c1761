// The session-level advisory lock of migration runs, and naming whoever holds it.
#include "stella/host/migration/migration_lock.hpp"

#include "stella/host/migration/run_journal.hpp"
#include "stella/host/store/advisory_lock_holder.hpp"
#include "stella/sdk/error.hpp"

#define ISO_UTC(column) "to_char((" column ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

namespace stella::host {

bool try_acquire_migration_lock(PgConnection& connection) {
  const PgResult result = connection.exec("SELECT pg_try_advisory_lock($1::bigint)",
                                          {std::to_string(kMigrationLockKey)});
  return result.get(0, 0) == "t";
}

void release_migration_lock(PgConnection& connection) {
  connection.exec("SELECT pg_advisory_unlock($1::bigint)", {std::to_string(kMigrationLockKey)});
}

int migration_lock_holder_pid(PgConnection& connection) {
  return advisory_lock_holder_pid(connection, kMigrationLockKey);
}

void require_migration_lock_held(PgConnection& work, int lock_backend_pid) {
  const int holder = migration_lock_holder_pid(work);
  if (holder == lock_backend_pid) {
    return;
  }
  throw sdk::Error(
      sdk::ErrorCode::refused,
      "the session that held this run's migration lock (server pid " +
          std::to_string(lock_backend_pid) + ") ended while the run was working" +
          (holder == 0 ? std::string(", and the lock is free")
                       : ", and another session holds the lock now: " +
                             describe_migration_lock_holder(work)) +
          "; stopping before the next commit so that no two processes drive one run",
      "`stella evidence migrate --status` shows the run; when no other stella process drives it, "
      "continue it with `stella evidence migrate --resume`. If an administrator or an "
      "idle-session timeout ends idle sessions, exempt stella's lock session (application name "
      "'stella migrate lock (...)')");
}

std::string describe_migration_lock_holder(PgConnection& connection) {
  const int pid = migration_lock_holder_pid(connection);
  if (pid == 0) {
    return "nobody";
  }
  const std::string server = describe_server_session(connection, pid);
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
  // A stella migrate, resume or rollback holds the lock a moment before it records its run (its
  // checks and the roots it recomputes come first): not a stranger to go and terminate.
  const PgResult application = connection.exec(
      "SELECT application_name FROM pg_stat_activity WHERE pid = $1", {std::to_string(pid)});
  if (application.rows() > 0 &&
      std::string(application.get(0, 0)).rfind("stella migrate lock", 0) == 0) {
    return server +
           ", a stella migration that is still preparing its run (its checks come "
           "before the run is recorded)";
  }
  return server + ", which is not a recorded stella migration run";
}

}  // namespace stella::host
