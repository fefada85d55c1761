// How many sessions wait for an advisory lock in the current database: for tests that start
// commands which must queue behind a lock the test holds. Only this database's: the suite's
// cluster is shared by two test programs at once.
#pragma once

namespace stella::test {

inline constexpr const char* kWaitingAdvisoryLocksSql =
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

}  // namespace stella::test
