// Running a reindex: start or join the run building the target generation, work its batches with
// P threads (each with its own connection), then seal the generation when every record is
// covered (docs/reindex.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/host/reindex/reindex_request.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Where a run stands, as the work table says (shared by every process working on it).
struct ReindexProgressSample {
  std::int64_t run_id = 0;
  int generation = 0;
  std::string algorithm;
  std::int64_t batches_total = 0;
  std::int64_t batches_done = 0;
  std::int64_t artifacts_planned = 0;
  std::int64_t artifacts_done = 0;
  std::int64_t bytes_done = 0;
  /// Seconds from the run's start to its last batch done.
  double busy_seconds = 0;
  /// Artifacts per second over the run so far; 0 before the first batch.
  double artifacts_per_second = 0;
  /// Seconds left at that rate; nullopt before the first batch.
  std::optional<double> eta_seconds;
};

/// Receives what a running reindex does, for progress output. Called from the calling thread.
class ReindexObserver {
 public:
  virtual ~ReindexObserver() = default;
  /// The run this process works on; `joined` when another process had started it.
  virtual void run_started(std::int64_t /*run_id*/, int /*generation*/,
                           const std::string& /*algorithm*/, bool /*joined*/) {}
  /// About once a second while the batches run, and once when they are done.
  virtual void progress(const ReindexProgressSample& /*sample*/) {}
  /// Every batch is done; the final pass and the seal begin.
  virtual void sealing() {}
};

/// How an invocation ended. Zero is not a valid value.
enum class ReindexResultKind {
  /// The active generation already uses the target algorithm.
  already_current = 1,
  /// This invocation sealed the new generation; it is active now.
  sealed = 2,
  /// Another process working on the same run sealed it.
  sealed_elsewhere = 3,
  /// Every batch is done but records are still missing (outside --since); not sealed.
  incomplete = 4,
  /// --resume with no generation being built.
  nothing_to_resume = 5,
};

struct ReindexOutcome {
  ReindexResultKind kind = ReindexResultKind::already_current;
  /// One line for the operator ("store already at sha512 (generation 2); nothing to do").
  std::string message;
  std::string algorithm;
  int generation = 0;
  int from_generation = 0;
  std::int64_t run_id = 0;
  /// The run was started by another process (or an earlier, interrupted one).
  bool joined = false;
  /// Work done by this process.
  std::int64_t batches_here = 0;
  std::int64_t artifacts_hashed_here = 0;
  std::int64_t bytes_hashed_here = 0;
  /// Bundles covered by the final passes (they arrived while the run went on).
  std::int64_t straggler_bundles = 0;
  double seconds = 0;
  /// For incomplete: what is missing (in total, and created before --since).
  std::int64_t missing_bundles = 0;
  std::int64_t missing_artifacts = 0;
  std::int64_t missing_artifacts_before_since = 0;
  std::optional<std::string> since;
  /// For sealed (and sealed_elsewhere when known).
  std::string old_global_root;
  std::string new_global_root;
  std::int64_t transition_id = 0;
  std::int64_t tenants = 0;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
};

/// Runs the reindex against the store at `conninfo`. Loads the target's reindexer plugin before
/// changing anything. Throws sdk::Error: refused (schema 1.0, no target algorithm configured, no
/// plugin for it, another algorithm being built, lasting lock conflicts), verification_failed
/// (the active generation's stored roots disagree with its data), internal (server errors).
/// A process killed at any point leaves only whole batches committed; running again (or
/// `--resume`) continues the same run.
ReindexOutcome run_reindex(const std::string& conninfo, PluginRegistry& registry,
                           const ReindexRequest& request, ReindexObserver& observer);

/// The progress of a run from the work table.
ReindexProgressSample sample_progress(PgConnection& connection, std::int64_t run_id);

/// "1,234,567".
std::string with_thousands(std::int64_t value);

}  // namespace stella::host
