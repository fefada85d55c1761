// Who holds a transaction- or session-level advisory lock of the current database, so that a
// command waiting for one, or refused by one, can name the session in its way.
#pragma once

#include <string>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The server process id of the session holding advisory lock `key` in the current database, or
/// 0 when nobody holds it.
int advisory_lock_holder_pid(PgConnection& connection, long long key);

/// "server process 1234 (application 'stella', database user stella, connected from a local
/// socket since 2026-12-05T21:02:11Z)": the session of server process `pid`, as
/// pg_stat_activity shows it.
std::string describe_server_session(PgConnection& connection, int pid);

}  // namespace stella::host
