// What an active migration's work session is doing right now, as PostgreSQL sees it: for the
// runbook's "Migration stuck or timeout", whether the run works or waits, and on whom.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// A session that holds a lock the work session waits for.
struct BlockingSession {
  int pid = 0;
  std::string user;
  std::string application;
  /// pg_stat_activity's state: "active", "idle in transaction", ...
  std::string state;
  /// Since its transaction (or, outside one, its statement) began.
  std::int64_t seconds = 0;
  /// The first line of its last statement, shortened.
  std::string query;
};

struct WorkSession {
  int pid = 0;
  std::string state;
  /// "Lock (relation)", "IO (DataFileRead)", ...; empty when it waits for nothing.
  std::string wait;
  std::int64_t seconds_in_statement = 0;
  std::vector<BlockingSession> blocked_by;
};

/// The work session of the migration running on `connection`'s database ("stella migrate work"),
/// or nullopt when none is connected.
std::optional<WorkSession> read_work_session(PgConnection& connection);

}  // namespace stella::host
