// Orphan rows — an artifact whose bundle does not exist, a bundle whose tenant does not exist, a
// stored root of a tenant that does not exist — are rows the 2.0 layout's foreign keys cannot hold,
// so the expand step does not copy them and the contract step then refuses to drop the 1.0 tables:
// the migration fails after copying everything else, rolls back, and fails the same way on every
// retry. verify-all and integrity-check do not see them (the roots do not cover rows that have no
// bundle). So planning and the start of a run look for them first and refuse, naming them and the
// remedy, `stella evidence orphans --quarantine`.
#pragma once

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Throws sdk::Error(refused) naming the orphan rows of the store that quarantine can move (the
/// kinds a migration cannot carry), how many of each, the first few, and what to do. Reads only;
/// runs in the caller's transaction when one is open.
void refuse_orphans_before_migration(PgConnection& connection);

}  // namespace stella::host
