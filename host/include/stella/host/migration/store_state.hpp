// Capturing a store's version and roots, and comparing two captures: what a plan was made against,
// what a run started from, and what a rollback must restore.
#pragma once

#include <string>
#include <vector>

#include "stella/host/migration/migration_plan.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Reads the store behind `connection` (inside the caller's transaction, so it sees the caller's
/// uncommitted rows) through the layout of its version: the active generation's stored roots, and
/// the tenant and global roots recomputed from the stored bundle roots; where the two disagree is
/// listed in StoreState::inconsistencies. Throws sdk::Error(refused)
/// when the store's version has no layout in this build.
StoreState capture_store_state(PgConnection& connection);

/// One line per difference in roots between `expected` and `actual` ("global root:
/// expected sha256:..., found sha256:...", "tenant acme: ..."); empty when they agree. Counts and
/// capture times are not compared (they describe, the roots commit), nor is the schema version
/// (a migration changes it on purpose; callers compare it when it matters).
std::vector<std::string> store_root_differences(const StoreState& expected,
                                                const StoreState& actual);

}  // namespace stella::host
