#include "stella/host/store/advisory_lock_holder.hpp"

namespace stella::host {

int advisory_lock_holder_pid(PgConnection& connection, long long key) {
  // pg_locks shows a bigint advisory key as two oids: the high and the low 32 bits.
  const PgResult result = connection.exec(
      "SELECT l.pid FROM pg_locks l "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
      "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
      "AND l.classid = (($1::bigint >> 32) & 4294967295)::oid "
      "AND l.objid = ($1::bigint & 4294967295)::oid",
      {std::to_string(key)});
  return result.rows() == 0 ? 0 : static_cast<int>(result.get_int64(0, 0));
}

std::string describe_server_session(PgConnection& connection, int pid) {
  const PgResult session = connection.exec(
      "SELECT coalesce(nullif(application_name, ''), 'no application name'), "
      "coalesce(host(client_addr), 'a local socket'), "
      "to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), usename "
      "FROM pg_stat_activity WHERE pid = $1",
      {std::to_string(pid)});
  std::string described = "server process " + std::to_string(pid);
  if (session.rows() > 0) {
    described += " (application '" + std::string(session.get(0, 0)) + "', database user " +
                 std::string(session.get(0, 3)) + ", connected from " +
                 std::string(session.get(0, 1)) + " since " + std::string(session.get(0, 2)) + ")";
  }
  return described;
}

}  // namespace stella::host
