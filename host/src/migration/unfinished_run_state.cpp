#include "stella/host/migration/unfinished_run_state.hpp"

#include "stella/host/migration/migration_lock.hpp"
#include "stella/host/migration/unfinished_run.hpp"

namespace stella::host {

std::optional<UnfinishedRunState> read_unfinished_run_state(PgConnection& connection) {
  // A store whose state schema predates migration runs has none unfinished.
  if (!run_journal_exists(connection)) {
    return std::nullopt;
  }
  std::optional<RunRecord> run = read_unfinished_run(connection);
  if (!run) {
    return std::nullopt;
  }
  UnfinishedRunState state;
  state.driven = migration_lock_holder_pid(connection) != 0;
  state.position = describe_run_position(*run);
  state.run = std::move(*run);
  return state;
}

}  // namespace stella::host
