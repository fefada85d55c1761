#include "stella/host/migration/work_session.hpp"

namespace stella::host {

std::optional<WorkSession> read_work_session(PgConnection& connection) {
  // One migration at a time per store (the migration lock), so at most one work session here.
  const PgResult rows = connection.exec(
      "SELECT pid, coalesce(state, ''), "
      "coalesce(wait_event_type || ' (' || wait_event || ')', ''), "
      "coalesce(extract(epoch FROM clock_timestamp() - query_start)::bigint, 0), "
      "array_to_string(pg_blocking_pids(pid), ',') "
      "FROM pg_stat_activity WHERE datname = current_database() "
      "AND application_name LIKE 'stella migrate work%' ORDER BY backend_start DESC LIMIT 1");
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  WorkSession session;
  session.pid = static_cast<int>(rows.get_int64(0, 0));
  session.state = rows.get(0, 1);
  session.wait = rows.get(0, 2);
  session.seconds_in_statement = rows.get_int64(0, 3);
  const std::string blockers(rows.get(0, 4));
  if (blockers.empty()) {
    return session;
  }
  const PgResult blocking = connection.exec(
      "SELECT pid, coalesce(usename, ''), coalesce(application_name, ''), coalesce(state, ''), "
      "coalesce(extract(epoch FROM clock_timestamp() - coalesce(xact_start, query_start))"
      "::bigint, 0), left(split_part(coalesce(query, ''), E'\\n', 1), 120) "
      "FROM pg_stat_activity WHERE pid = ANY (string_to_array($1, ',')::int[]) ORDER BY pid",
      {blockers});
  for (int r = 0; r < blocking.rows(); ++r) {
    BlockingSession blocker;
    blocker.pid = static_cast<int>(blocking.get_int64(r, 0));
    blocker.user = blocking.get(r, 1);
    blocker.application = blocking.get(r, 2);
    blocker.state = blocking.get(r, 3);
    blocker.seconds = blocking.get_int64(r, 4);
    blocker.query = blocking.get(r, 5);
    session.blocked_by.push_back(std::move(blocker));
  }
  return session;
}

}  // namespace stella::host
