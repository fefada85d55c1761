// `stella evidence reindex --dry-run`: what a reindex would do, measured on a sample of the real
// evidence, without changing anything (docs/reindex.md, schemas/reindex-plan.schema.json).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/host/reindex/reindex_request.hpp"

namespace stella::host {

/// Counts of records.
struct RecordCounts {
  std::int64_t tenants = 0;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
};

/// The estimate, and the sample it was measured on.
struct ReindexEstimate {
  double seconds = 0;
  std::int64_t sample_artifacts = 0;
  std::int64_t sample_bytes = 0;
  /// Time to read, hash and write the sample's digests (written to a temporary table in a
  /// transaction that is rolled back), single-threaded.
  double sample_seconds = 0;
  double artifacts_per_second = 0;
  /// Threads the estimate assumes work in parallel (--parallel, at most the machine's cores).
  int effective_parallel = 1;
};

struct ReindexPlan {
  std::string created_at;
  std::string database;
  /// "start-generation", "continue-generation" or "nothing-to-do".
  std::string action;
  std::string message;
  std::string schema_version;
  /// Reindex adds a generation; the schema stays what it is.
  std::string new_schema_version;
  std::string algorithm;
  std::string algorithm_source;
  /// Where the new digests come from ("plugin hash-sha512 1.0.0").
  std::string hasher_source;
  int current_generation = 0;
  std::string current_algorithm;
  std::string current_global_root;
  int new_generation = 0;
  /// A running run of the new generation that the reindex would join (its settings apply).
  std::optional<std::int64_t> joins_run;
  std::optional<std::string> since;
  std::int64_t batch_size = 0;
  int parallel = 1;
  /// What the reindex would cover (bundles not yet covered by the new generation, since --since).
  RecordCounts affected;
  std::int64_t batches = 0;
  /// Already covered by the new generation (a continued run).
  RecordCounts already_covered;
  /// Not covered because they were created before --since.
  RecordCounts outside_since;
  /// The generation would be sealed at the end of the run (nothing outside --since is missing).
  bool seals_when_done = false;
  ReindexEstimate estimate;
};

/// Builds the plan. Reads in one repeatable-read snapshot; the sample's write is measured in a
/// transaction that is rolled back. Throws like run_reindex for a store it would refuse.
ReindexPlan plan_reindex(const std::string& conninfo, PluginRegistry& registry,
                         const ReindexRequest& request);

/// The plan as JSON (schemas/reindex-plan.schema.json), pretty-printed.
std::string reindex_plan_json(const ReindexPlan& plan);

/// The plan for people.
void write_reindex_plan_text(std::ostream& out, const ReindexPlan& plan);

/// "about 3 min 20 s", "under 1 s".
std::string duration_text(double seconds);

}  // namespace stella::host
