// A migration slow enough to act on while it runs: a store of several hundred artifacts migrated
// (or rolled back) in batches of one row in a background `stella`, and a wait for a number of
// committed batches, so a test can kill or signal it at a known point.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "migration/migration_fixture.hpp"
#include "support/background_stella.hpp"

namespace stella::test {

/// A store big enough that a run with batches of one row is still running when the test acts.
StoreSize slow_store();

/// Batches committed by the unfinished run, in any step and direction (0 when none is).
std::int64_t committed_batches(MigrationStore& store);

/// `stella --database <store> <globals...> <verb...>` for a BackgroundStella.
std::vector<std::string> background_arguments(MigrationStore& store,
                                              std::vector<std::string> globals,
                                              const std::vector<std::string>& verb);

/// `stella` arguments for a 1.0 → 2.0 migration of `store` in batches of one row, after the
/// global options `globals`.
std::vector<std::string> slow_migration_arguments(MigrationStore& store,
                                                  std::vector<std::string> globals);

/// Waits until the background run has committed `batches` batches; fails if it ends first.
void wait_for_batches(MigrationStore& store, BackgroundStella& run, std::int64_t batches);

}  // namespace stella::test
