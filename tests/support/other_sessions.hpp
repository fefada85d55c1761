// Ends every other session of a test's database, as a server restart, a failover or an
// administrator's pg_terminate_backend does to a command that is using it.
#pragma once

#include "stella/host/store/pg_connection.hpp"

namespace stella::test {

/// Terminates every session of `connection`'s database but `connection`'s own.
inline void end_other_sessions(host::PgConnection& connection) {
  connection.exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
}

}  // namespace stella::test
