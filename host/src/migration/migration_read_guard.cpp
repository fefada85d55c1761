#include "stella/host/migration/migration_read_guard.hpp"

#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/unfinished_run.hpp"
#include "stella/host/migration/unfinished_run_state.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

void refuse_store_use_during_migration(PgConnection& connection) {
  const std::optional<UnfinishedRunState> state = read_unfinished_run_state(connection);
  if (!state) {
    return;
  }
  const RunRecord* run = &state->run;
  const bool driven = state->driven;
  const std::string& position = state->position;
  const std::string where = position.empty() ? std::string() : ", " + position;
  std::optional<std::string> store_version;
  try {
    store_version = detect_store_version(connection);
  } catch (const sdk::Error&) {
    // The version only picks the --from-version of the hint; the run's own versions do as well.
  }
  throw sdk::Error(
      sdk::ErrorCode::refused,
      "the evidence store in database " + database_name(connection) +
          " is in the middle of a schema migration: " + describe_unfinished_run(*run) +
          (driven ? " is running" : " was interrupted and no process drives it") + where +
          ". Until the run is finished or undone the store is in neither schema's layout, so it "
          "cannot be read; nothing was read or changed",
      driven ? "wait for the run to finish (`stella evidence migrate --status` shows its "
               "progress), then run this command again"
             : unfinished_run_remedy(*run, store_version) +
                   "; `stella evidence migrate --status` shows where it stopped; then run this "
                   "command again");
}

}  // namespace stella::host
