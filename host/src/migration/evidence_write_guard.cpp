#include "stella/host/migration/evidence_write_guard.hpp"

#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/unfinished_run.hpp"
#include "stella/host/migration/unfinished_run_state.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

void refuse_evidence_writes_during_migration(PgConnection& connection, std::string_view verb) {
  const std::optional<UnfinishedRunState> state = read_unfinished_run_state(connection);
  if (!state) {
    return;
  }
  const RunRecord* run = &state->run;
  const bool driven = state->driven;
  const std::string& position = state->position;
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
