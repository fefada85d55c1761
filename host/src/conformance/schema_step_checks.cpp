// The checks of a schema step: on a throwaway seeded store its dry-run plan changes nothing, and
// up + verify + down through the host's migration machinery (the runs, transactions and batches
// operators get) leave every row and root as they were — twice. The host checks roots only at
// versions it reads (1.0 and 2.0), so a step to or from an intermediate version (1.1) runs inside
// the shortest run between readable versions, with the installed steps around it.
#include <optional>
#include <ostream>

#include "conformance/conformance_setting.hpp"
#include "conformance/sample_store.hpp"
#include "conformance/store_snapshot.hpp"
#include "conformance/throwaway_store.hpp"
#include "migration/run_reporter.hpp"
#include "migration/run_step_context.hpp"
#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/migration/migration_executor.hpp"
#include "stella/host/migration/version_graph.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Rows per batch: small, so that a batched step commits several batches on the sample store.
constexpr std::int64_t kConformanceBatchSize = 4;
/// How the host's run driver names a failure in the step's verify (run_driver.cpp).
constexpr std::string_view kVerifyPhase = "failed during verify";

std::string joined(const std::vector<std::string>& lines, const char* separator = "; ") {
  std::string text;
  for (const auto& line : lines) {
    text += (text.empty() ? "" : separator) + line;
  }
  return text;
}

/// The plugin under test, plus every other installed schema step that provides another edge:
/// the steps a run between readable versions may need around it. An installed step of the same
/// id or the same edge is left out, so the run uses the plugin under test.
PluginRegistry registry_for_runs(const ConformanceSetting& setting) {
  const PluginRecord& tested = setting.record();
  const SchemaEdge& edge = tested.manifest.edges.at(0);
  std::vector<std::filesystem::path> directories = {tested.directory};
  for (const VersionEdge& other : installed_version_edges(setting.installed)) {
    if (other.plugin_id == tested.manifest.id || (other.from == edge.from && other.to == edge.to)) {
      continue;
    }
    if (const PluginRecord* record = setting.installed.find(other.plugin_id)) {
      directories.push_back(record->directory);
    }
  }
  return PluginRegistry::discover(consenting_search_path(std::move(directories), setting.globals));
}

/// A migration run between versions the host reads (it checks the roots at both ends) whose
/// shortest path goes through the step.
struct RunSpan {
  std::string start;
  std::string end;
  /// 1-based position of the step in the run.
  int ordinal = 0;
  /// "1.0 → 1.1 → 2.0".
  std::string description;
};

/// Shortest path length from `from` to `to`; nullopt (with the planner's message in `why`) when
/// there is none.
std::optional<std::size_t> path_length(const std::vector<VersionEdge>& edges,
                                       const std::string& from, const std::string& to,
                                       std::string& why) {
  if (from == to) {
    return 0;
  }
  try {
    return shortest_version_path(edges, from, to).size();
  } catch (const sdk::Error& error) {
    why = error.what();
    return std::nullopt;
  }
}

/// The readable version closest before `version` (after == false) or after it (after == true).
/// Throws sdk::Error(refused) with the planner's message for the path from the oldest readable
/// version (every store starts there) or to the newest when there is none.
std::string closest_readable(const std::vector<VersionEdge>& edges, const std::string& version,
                             bool after) {
  const std::vector<std::string> readable = known_layout_versions();
  std::optional<std::size_t> best;
  std::string chosen;
  std::string why;
  for (const std::string& candidate : readable) {
    std::string candidate_why;
    const auto length = after ? path_length(edges, version, candidate, candidate_why)
                              : path_length(edges, candidate, version, candidate_why);
    if (length && (!best || *length < *best)) {
      best = length;
      chosen = candidate;
    }
    if (candidate == (after ? readable.back() : readable.front())) {
      why = candidate_why;
    }
  }
  if (!best) {
    throw sdk::Error(sdk::ErrorCode::refused, why);
  }
  return chosen;
}

RunSpan run_span(const PluginRegistry& registry, const std::string& plugin_id,
                 const std::string& from, const std::string& to) {
  const std::vector<VersionEdge> edges = installed_version_edges(registry);
  RunSpan span;
  span.start = closest_readable(edges, from, false);
  span.end = closest_readable(edges, to, true);
  const std::vector<VersionEdge> path = shortest_version_path(edges, span.start, span.end);
  span.description = span.start;
  for (std::size_t i = 0; i < path.size(); ++i) {
    span.description += " \u2192 " + path[i].to;
    if (path[i].plugin_id == plugin_id) {
      span.ordinal = static_cast<int>(i + 1);
    }
  }
  if (span.ordinal == 0) {
    throw sdk::Error(sdk::ErrorCode::refused, "the shortest run " + span.description + " (" +
                                                  describe_version_edges(path) +
                                                  ") does not go through " + plugin_id);
  }
  return span;
}

StoreSnapshot snapshot_of(const std::string& conninfo) {
  const auto connection = PgConnection::connect(conninfo);
  PgTransaction transaction(*connection);
  return take_store_snapshot(*connection);
}

/// plan() is run twice: through the host's dry run (make_migration_plan, which must succeed), and
/// directly inside an open transaction that is looked at before it is rolled back — the host's
/// rollback would otherwise hide a plan that writes. Work plan() tries in savepoints it rolls back
/// itself (to time a batch) is allowed: only what is left when plan() returns counts.
void check_dry_run(ConformanceSetting& setting, const MigrationContext& context,
                   const RunSpan& span) {
  const std::string name = "dry-run-changes-nothing";
  const StoreSnapshot committed_before = snapshot_of(context.conninfo);
  try {
    make_migration_plan(context, span.start, span.end, kConformanceBatchSize);
  } catch (const std::exception& error) {
    stop_if_interrupted(error);
    setting.checks.fail(name, "the host's dry run (plan) of " + span.description + " failed",
                        "plan() describes what up() would do without failing", error.what());
    return;
  }
  const auto connection = PgConnection::connect(context.conninfo);
  RunReporter reporter(setting.err, setting.globals);
  auto step = setting.tested.create_schema_step(setting.record().manifest.id);
  // As in the host's dry run, every step of the run plans against the store at the run's start.
  std::vector<std::string> changes;
  {
    PgTransaction transaction(*connection);
    const StoreSnapshot before = take_store_snapshot(*connection);
    RunStepContext step_context(*connection, kConformanceBatchSize, reporter, span.ordinal);
    try {
      step->plan(step_context);
    } catch (const std::exception& error) {
      setting.checks.fail(name, "plan() failed inside an open transaction",
                          "plan() describes what up() would do without failing", error.what());
      return;
    }
    const StoreSnapshot after = take_store_snapshot(*connection);
    changes = row_differences(before, after);
    for (auto& line : root_differences(before, after)) {
      changes.push_back(std::move(line));
    }
  }
  const StoreSnapshot committed_after = snapshot_of(context.conninfo);
  for (auto& line : row_differences(committed_before, committed_after)) {
    changes.push_back("after the dry run: " + line);
  }
  if (!changes.empty()) {
    setting.checks.fail(name, "plan() changed the store it only had to describe",
                        "no change: every table, row and root as before plan()",
                        std::to_string(changes.size()) + " changes", changes);
    return;
  }
  setting.checks.pass(name,
                      "plan() ran through the host's dry run and inside an open "
                      "transaction: every table, row, root and the transaction itself "
                      "unchanged");
}

struct RoundTrip {
  std::optional<std::string> up_failure;
  std::optional<std::string> verify_failure;
  std::optional<std::string> down_failure;
  StoreSnapshot before;
  std::optional<StoreSnapshot> after;

  bool completed() const { return !up_failure && !verify_failure && !down_failure; }
};

/// up and verify (run_migration), then down (rollback_migration), as `stella evidence migrate`
/// and `migrate --rollback` run them.
RoundTrip round_trip(const MigrationContext& context, const std::string& from,
                     const std::string& to) {
  RoundTrip trip;
  trip.before = snapshot_of(context.conninfo);
  try {
    run_migration(context, from, to, kConformanceBatchSize);
  } catch (const std::exception& error) {
    stop_if_interrupted(error);
    const std::string what = error.what();
    (what.find(kVerifyPhase) != std::string::npos ? trip.verify_failure : trip.up_failure) = what;
    return trip;
  }
  try {
    rollback_migration(context, to, from, "stella plugins test: round trip");
  } catch (const std::exception& error) {
    stop_if_interrupted(error);
    trip.down_failure = error.what();
  }
  trip.after = snapshot_of(context.conninfo);
  return trip;
}

void record_first_round_trip(ConformanceSetting& setting, const RoundTrip& trip,
                             const std::string& edge) {
  CheckRecorder& checks = setting.checks;
  const std::string batches = " (batches of " + std::to_string(kConformanceBatchSize) + ")";
  if (trip.up_failure) {
    checks.fail("up", "up " + edge + " failed in the host's migration run" + batches,
                "up moves the sample store to the step's to-version", *trip.up_failure);
    for (const char* name : {"verify-after-up", "down-restores-roots", "down-restores-rows"}) {
      checks.skip(name, "up failed, so there was nothing to verify or undo");
    }
    return;
  }
  checks.pass("up",
              "up " + edge + " ran in the host's migration run" + batches + " and kept the roots");
  if (trip.verify_failure) {
    checks.fail("verify-after-up", "verify() did not report ok after up", "verify() reports ok",
                *trip.verify_failure);
    for (const char* name : {"down-restores-roots", "down-restores-rows"}) {
      checks.skip(name, "verify failed after up, and the host rolled the run back itself");
    }
    return;
  }
  checks.pass("verify-after-up", "verify() reported ok after up");
  std::vector<std::string> roots = root_differences(trip.before, *trip.after);
  if (trip.down_failure) {
    roots.insert(roots.begin(), "the host's rollback failed: " + *trip.down_failure);
  }
  if (roots.empty()) {
    checks.pass("down-restores-roots", "after down the store is at " + trip.after->schema_version +
                                           " with the same roots");
  } else {
    checks.fail(
        "down-restores-roots", "down did not restore the version and roots",
        "schema " + trip.before.schema_version + ", global root " + trip.before.state.global_root,
        "schema " + trip.after->schema_version + ", global root " + trip.after->state.global_root,
        roots);
  }
  const std::vector<std::string> rows = row_differences(trip.before, *trip.after);
  if (rows.empty()) {
    checks.pass("down-restores-rows",
                "every table of the evidence schema has the same columns and rows after down (" +
                    std::to_string(trip.before.tables.size()) + " tables compared)");
  } else {
    checks.fail("down-restores-rows", "down did not restore every row",
                "every table of the evidence schema exactly as before up",
                std::to_string(rows.size()) + " differences", rows);
  }
}

void record_second_round_trip(ConformanceSetting& setting, const RoundTrip& trip) {
  std::vector<std::string> problems;
  for (const auto* failure : {&trip.up_failure, &trip.verify_failure, &trip.down_failure}) {
    if (*failure) {
      problems.push_back(**failure);
    }
  }
  if (trip.after) {
    for (auto& line : root_differences(trip.before, *trip.after)) {
      problems.push_back(std::move(line));
    }
    for (auto& line : row_differences(trip.before, *trip.after)) {
      problems.push_back(std::move(line));
    }
  }
  if (problems.empty()) {
    setting.checks.pass("second-round-trip",
                        "up, verify and down again on the same store: every row and root as "
                        "before it");
  } else {
    setting.checks.fail("second-round-trip",
                        "the second up, verify and down did not succeed or "
                        "did not leave the store as it was",
                        "a second round trip behaves as the first: rows and roots as before it",
                        joined(problems), problems);
  }
}

}  // namespace

void run_schema_step_checks(ConformanceSetting& setting) {
  const PluginRecord& record = setting.record();
  const std::string from = record.manifest.edges.at(0).from;
  const std::string to = record.manifest.edges.at(0).to;
  const std::string edge = from + " \u2192 " + to;
  CheckRecorder& checks = setting.checks;

  PluginRegistry run_registry = registry_for_runs(setting);
  std::optional<RunSpan> span;
  std::string no_span;
  try {
    span = run_span(run_registry, record.manifest.id, from, to);
  } catch (const std::exception& error) {
    stop_if_interrupted(error);
    no_span = error.what();
  }
  checks.note("starting a throwaway PostgreSQL cluster");
  ThrowawayStore store(setting.keep_home);
  if (setting.keep_home) {
    checks.report().kept_home = store.home().string();
  }
  const std::string conninfo = store.conninfo();
  checks.note("creating and seeding a 1.0 store");
  create_sample_store(conninfo, setting.globals.operator_name);
  if (span) {
    try {
      checks.note("bringing the store to " + span->start + " with the installed schema steps");
      migrate_sample_store(conninfo, setting.globals, setting.installed, span->start, setting.err);
    } catch (const std::exception& error) {
      no_span =
          "the installed plugins cannot bring a 1.0 store to " + span->start + ": " + error.what();
      span.reset();
    }
  }
  if (!span) {
    checks.fail("migration-path",
                "no migration run between versions this host reads can include " + edge,
                "installed schema steps that lead from a readable version (" +
                    joined(known_layout_versions(), ", ") + ") to " + from + " and from " + to +
                    " to a readable version (add the plugins providing the missing edges with "
                    "--plugin-dir)",
                no_span);
    for (const char* name : {"dry-run-changes-nothing", "up", "verify-after-up",
                             "down-restores-roots", "down-restores-rows", "second-round-trip"}) {
      checks.skip(name, "there is no migration run to try the step in");
    }
    return;
  }
  checks.pass("migration-path", "the step runs as step " + std::to_string(span->ordinal) +
                                    " of the run " + span->description + " on a seeded store at " +
                                    span->start);

  const MigrationContext context{conninfo, setting.globals, run_registry, setting.err};
  checks.note("dry run of " + span->description);
  check_dry_run(setting, context, *span);
  checks.note("first round trip: up, verify, down");
  const RoundTrip first = round_trip(context, span->start, span->end);
  record_first_round_trip(setting, first, span->description);
  if (!first.completed()) {
    checks.skip("second-round-trip", "the first round trip did not complete");
    return;
  }
  checks.note("second round trip: up, verify, down");
  record_second_round_trip(setting, round_trip(context, span->start, span->end));
}

}  // namespace stella::host
