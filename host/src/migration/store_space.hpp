// How much room a store takes and how much its server has left, for a migration plan: a step that
// copies tables beside the old ones (1.0 → 2.0 copies every artifact's bytes) needs up to that much
// again, and a disk that fills mid-run ends the run in a rollback.
#pragma once

#include "stella/host/cli/global_options.hpp"
#include "stella/host/migration/migration_plan.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The evidence schema's tables with their indexes and TOAST, on `connection`; and, for the
/// embedded server of `globals` (no --database), the free space of its data directory's volume.
StoreSpace measure_store_space(PgConnection& connection, const GlobalOptions& globals);

}  // namespace stella::host
