// The store's migration lock: a session-level PostgreSQL advisory lock, held by the connection a
// run keeps open for its whole life. A second run asks with pg_try_advisory_lock and is refused at
// once, never blocked; a killed process loses its session and with it the lock, so nothing has to
// be cleared by hand.
#pragma once

#include <string>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The advisory lock key ("stella" + 2; ensure_state_schema uses "stella" + 1).
inline constexpr long long kMigrationLockKey = 0x7374656c6c610002;

/// Takes the lock on `connection` if it is free; returns false at once when another session holds
/// it. The lock lasts until release_migration_lock or until the session ends.
bool try_acquire_migration_lock(PgConnection& connection);

/// Releases a lock this session holds.
void release_migration_lock(PgConnection& connection);

/// Who holds the lock, for the refusal message: the server process (pid, application, client
/// address, since when) from pg_locks and pg_stat_activity, and the run it drives from the runs
/// table (run id, versions, operator, host, client pid, started at) when it is a stella run.
/// "nobody" when the lock is free.
std::string describe_migration_lock_holder(PgConnection& connection);

/// The backend pid holding the lock in this database, or 0 when it is free.
int migration_lock_holder_pid(PgConnection& connection);

/// Before a run's work commits (on its work connection `work`): throws sdk::Error(refused) unless
/// the session `lock_backend_pid` (the run's lock connection) still holds the lock. The lock's
/// session can end while the work goes on (terminated by an administrator as an idle session, a
/// pooler or firewall dropping it); from then on `migrate --status` calls the run interrupted and
/// `--resume` may take it over, so a run that lost its lock must not commit another batch.
void require_migration_lock_held(PgConnection& work, int lock_backend_pid);

}  // namespace stella::host
