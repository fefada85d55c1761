// Making a plan on a connection the caller owns (a dry-run's, or a run's that already holds the
// migration lock).
#pragma once

#include <cstdint>
#include <string>

#include "migration/run_reporter.hpp"
#include "stella/host/migration/migration_executor.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// make_migration_plan on `work` (which must have no open transaction; it has none afterwards).
MigrationPlan build_migration_plan(PgConnection& work, const MigrationContext& context,
                                   RunReporter& reporter, const std::string& from_version,
                                   const std::string& to_version, std::int64_t batch_size);

/// Throws sdk::Error(refused) when the store is not at `expected` ("the store is at schema 1.1,
/// not 1.0 as --from-version says") or holds no store. `source` names what expected it
/// ("--from-version", "the plan"); `hint` says what to do instead.
void require_store_version(PgConnection& connection, const std::string& expected,
                           const std::string& source, const std::string& hint);

/// Throws sdk::Error(refused) when this build cannot read a store at `version` (so the roots
/// after a run could not be checked).
void require_readable_version(const std::string& version);

/// Throws sdk::Error(refused) naming the inconsistencies when the store's stored roots disagree
/// with its data.
void require_consistent(const StoreState& state);

/// The server's clock as ISO 8601 UTC.
std::string server_time(PgConnection& connection);

}  // namespace stella::host
