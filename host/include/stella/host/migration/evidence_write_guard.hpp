// Evidence written while a schema migration is unfinished is evidence the migration does not
// carry: its copy has passed those rows, and its final roots check — which compares the store
// with the roots recorded when the run started — fails, the run rolls back, and the rollback's own
// check fails too, leaving the run rollback_failed. So stella's writers (seed, import, orphans
// --quarantine, a reindex starting or joining a run) refuse while a run is unfinished, whether a
// process still drives it or it was interrupted. The other half of the guard is the migration's: it
// starts a run only under the writers' locks, so a writer either finished before the run was
// recorded or sees it.
#pragma once

#include <string_view>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Throws sdk::Error(refused) naming the unfinished migration run of the store (running with a
/// process driving it, or interrupted) and what to do; returns when there is none. `verb` names
/// the writer for the message ("seed"). Call inside the writer's transaction, after its write lock.
void refuse_evidence_writes_during_migration(PgConnection& connection, std::string_view verb);

}  // namespace stella::host
