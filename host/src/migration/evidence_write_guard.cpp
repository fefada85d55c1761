#include "stella/host/migration/evidence_write_guard.hpp"

#include "stella/host/migration/migration_lock.hpp"
#include "stella/host/migration/run_journal.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

void refuse_evidence_writes_during_migration(PgConnection& connection, std::string_view verb) {
  // A store whose state schema predates migration runs has none unfinished.
  if (connection.exec("SELECT to_regclass('stella.migration_runs') IS NULL").get(0, 0) ==
      std::string_view("t")) {
    return;
  }
  const std::optional<RunRecord> run = read_unfinished_run(connection);
  if (!run) {
    return;
  }
  const bool driven = migration_lock_holder_pid(connection) != 0;
  const std::string what = "run " + std::to_string(run->run_id) + " (" +
                           std::string(run_kind_name(run->kind)) + " " + run->from_version +
                           " \u2192 " + run->to_version + ", " +
                           std::string(run_status_name(run->status)) + ", started " +
                           run->started_at + " by " + run->operator_name + ")";
  throw sdk::Error(
      sdk::ErrorCode::refused,
      std::string(verb) + " refused: a schema migration of this store is unfinished: " + what +
          (driven ? " is running" : " was interrupted and no process drives it") +
          ". Evidence written now would not be carried by it; nothing was written",
      driven ? "wait for the migration to finish (`stella evidence migrate --status` shows it), "
               "then run " +
                   std::string(verb) + " again"
             : "finish it with `stella evidence migrate --resume`, or undo it with `stella "
               "evidence migrate --rollback --from-version " +
                   run->to_version + "`, then run " + std::string(verb) + " again");
}

}  // namespace stella::host
