// While a schema migration run is unfinished the store is part-way between two layouts: a 1.0 →
// 2.0 run interrupted in its contract step has dropped 1.0 columns the 2.0 layout has not got yet,
// a store left at 1.1 has no layout any reader knows, and an interrupted rollback leaves half the
// 1.0 tables rebuilt. Reading it then fails with raw SQL errors ("column ... does not exist") that
// look like damage and send operators to their backups, while the real remedy is to finish or undo
// the run. So every verb that opens the store checks first and refuses, naming the run and that
// remedy. open_store_layout calls it, which covers every verb that reads through a layout.
#pragma once

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Throws sdk::Error(refused) naming the store's unfinished migration run (id, versions, status,
/// the step it stopped in) and what to do: wait for a run a process drives; `migrate --resume` or
/// `migrate --rollback --from-version V` for an interrupted one. Returns when no run is unfinished
/// (also when the state schema predates migration runs).
void refuse_store_use_during_migration(PgConnection& connection);

}  // namespace stella::host
