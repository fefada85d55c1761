// The unfinished migration run of a store, as the guards that refuse other verbs meet it: the run,
// whether a process still drives it, and where it stands. Read once, for the readers' guard and the
// writers' guard alike.
#pragma once

#include <optional>
#include <string>

#include "stella/host/migration/run_journal.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

struct UnfinishedRunState {
  RunRecord run;
  /// A process holds the migration lock: the run goes on.
  bool driven = false;
  /// describe_run_position(run); empty without steps.
  std::string position;
};

/// The store's unfinished run, or nullopt when there is none (or the state schema predates
/// migration runs).
std::optional<UnfinishedRunState> read_unfinished_run_state(PgConnection& connection);

}  // namespace stella::host
