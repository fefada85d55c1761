// How an unfinished migration run is named to an operator, and the command that undoes it. Every
// refusal that an unfinished run causes (a second migration, stella's writers, the verbs that read
// the store, `--status`) says the same about it, so an operator who meets it in one verb recognises
// it in the next.
#pragma once

#include <optional>
#include <string>

#include "stella/host/migration/run_journal.hpp"

namespace stella::host {

/// "run 12 (migrate 1.0 → 2.0, running, started <time> by alice on ops-1)".
std::string describe_unfinished_run(const RunRecord& run);

/// Where the run stands: "in step 2 of 2 (schema-1.1-to-2.0 1.0.0, 1.1 → 2.0, up, 3 batches
/// committed)"; "before step 1 of 2 (...)" when no step has started; empty without steps.
std::string describe_run_position(const RunRecord& run);

/// The --from-version that `migrate --rollback` accepts for this run: the version a migration was
/// heading to (the runbook's `--rollback --from-version 2.0`), or for a rollback run the version
/// the store is at now (`store_version`, as recorded; the run's own from-version when none).
std::string rollback_from_version(const RunRecord& run,
                                  const std::optional<std::string>& store_version);

/// "continue it with `stella evidence migrate --resume`, or undo it with `stella evidence migrate
/// --rollback --from-version V`" (a rollback run: "finish it with ... --resume"), for hints.
std::string unfinished_run_remedy(const RunRecord& run,
                                  const std::optional<std::string>& store_version);

}  // namespace stella::host
