#include "stella/host/migration/evidence_write_guard.hpp"

#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/migration_lock.hpp"
#include "stella/host/migration/run_journal.hpp"
#include "stella/host/migration/unfinished_run.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

void refuse_evidence_writes_during_migration(PgConnection& connection, std::string_view verb) {
  // A store whose state schema predates migration runs has none unfinished.
  if (!run_journal_exists(connection)) {
    return;
  }
  const std::optional<RunRecord> run = read_unfinished_run(connection);
  if (!run) {
    return;
  }
  const bool driven = migration_lock_holder_pid(connection) != 0;
  const std::string position = describe_run_position(*run);
  throw sdk::Error(
      sdk::ErrorCode::refused,
      std::string(verb) + " refused: a schema migration of this store is unfinished: " +
          describe_unfinished_run(*run) +
          (driven ? " is running" : " was interrupted and no process drives it") +
          ". Evidence written now would not be carried by it; nothing was written" +
          (position.empty() ? std::string() : " (the run is " + position + ")"),
      driven ? "wait for the migration to finish (`stella evidence migrate --status` shows it), "
               "then run " +
                   std::string(verb) + " again"
             : unfinished_run_remedy(*run, detect_store_version(connection)) + ", then run " +
                   std::string(verb) + " again");
}

}  // namespace stella::host
