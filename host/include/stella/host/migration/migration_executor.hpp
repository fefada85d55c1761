// Planning and running schema migrations: dry-run plans, execution under the migration lock with
// batches and checkpoints, automatic rollback, resume after a crash, and explicit rollback
// (DESIGN.md "Plans, transactions, rollback"; docs/migration.md).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "stella/host/cli/global_options.hpp"
#include "stella/host/migration/migration_plan.hpp"
#include "stella/host/migration/run_journal.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// Rows per batch when --batch-size is not given.
inline constexpr std::int64_t kDefaultMigrationBatchSize = 10000;

/// What every migration operation works with.
struct MigrationContext {
  /// libpq connection string of the store.
  std::string conninfo;
  const GlobalOptions& globals;
  PluginRegistry& registry;
  /// Progress and messages (stderr).
  std::ostream& err;
  /// --batch-size given explicitly with --resume or --rollback: replaces the batch size recorded
  /// with the run for the work still to do (checkpoints are keys, not counts, so any size resumes).
  std::optional<std::int64_t> batch_size_override = std::nullopt;
};

/// Makes the plan for moving the store from `from_version` to `to_version`: finds the shortest
/// path from the plugins' manifests, loads only the plugins on it, and asks each for its plan()
/// inside a transaction that is rolled back, so nothing changes. Throws sdk::Error(refused) when
/// the store is not at `from_version` (saying what it is at), when no path exists (listing the
/// installed edges), when the store's stored roots disagree with its data, or when this build
/// cannot read the target version.
MigrationPlan make_migration_plan(const MigrationContext& context, const std::string& from_version,
                                  const std::string& to_version, std::int64_t batch_size);

/// How a run ended.
struct RunOutcome {
  std::int64_t run_id = 0;
  RunKind kind = RunKind::migrate;
  RunStatus status = RunStatus::completed;
  std::string from_version;
  std::string to_version;
  StoreState before;
  StoreState after;
};

/// Migrates the store: takes the migration lock (refused at once, naming the holder, when another
/// run holds it), makes the plan as make_migration_plan does, records the run, runs each step in
/// its own transactions (batches each with a checkpoint), verifies it, and checks at the end that
/// the roots equal those before the run. On any failure it rolls the run back and throws
/// sdk::Error with the failure and the rollback's result: the failure's own code when the store is
/// back as it was, verification_failed (exit 1) when the rollback could not be completed or the
/// roots differ afterwards.
RunOutcome run_migration(const MigrationContext& context, const std::string& from_version,
                         const std::string& to_version, std::int64_t batch_size);

/// Executes exactly `plan` (read from a plan file), as run_migration does, after checking that the
/// store is still at the plan's version with the plan's roots, and that every plugin of the plan
/// is installed with the same version and library digest. Throws sdk::Error(refused) naming what
/// changed otherwise.
RunOutcome run_migration_plan(const MigrationContext& context, const MigrationPlan& plan);

/// Continues the unfinished run (interrupted, or whose rollback failed) from its last
/// checkpoints. Returns nullopt when there is nothing to resume.
std::optional<RunOutcome> resume_migration(const MigrationContext& context);

/// Takes the store back: rolls back the unfinished run if there is one, otherwise the last
/// completed migration to `from_version` (down steps in reverse, as a run of kind rollback). Done
/// only when the roots equal those recorded before that migration. `to_version`, when given, must
/// be the version the migration started from. Throws sdk::Error(refused) when the store is not at
/// `from_version`, there is nothing to roll back, the evidence changed since the migration, or a
/// plugin of the migration changed.
RunOutcome rollback_migration(const MigrationContext& context, const std::string& from_version,
                              const std::optional<std::string>& to_version,
                              const std::string& reason);

}  // namespace stella::host
