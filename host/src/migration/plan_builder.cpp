// make_migration_plan: the path from manifests, each step's plan() in a rolled-back transaction.
#include "migration/plan_builder.hpp"
#include "migration/store_space.hpp"

#include "migration/orphan_preflight.hpp"
#include "migration/run_step_context.hpp"
#include "migration/step_loading.hpp"
#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/migration_lock.hpp"
#include "stella/host/migration/run_journal.hpp"
#include "stella/host/migration/store_state.hpp"
#include "stella/host/migration/unfinished_run.hpp"
#include "stella/host/migration/version_graph.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text;
}

}  // namespace

std::string server_time(PgConnection& connection) {
  return std::string(connection
                         .exec("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                               "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
                         .get(0, 0));
}

void require_store_version(PgConnection& connection, const std::string& expected,
                           const std::string& source, const std::string& hint) {
  const auto version = detect_store_version(connection);
  if (!version) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "database " + database_name(connection) + " holds no evidence store",
                     "create one with `stella evidence init`, or point --database at the store");
  }
  if (*version != expected) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store is at schema " + *version + ", not " + expected + " as " + source +
                         " says; nothing was changed",
                     hint);
  }
}

void require_readable_version(const std::string& version) {
  if (!make_store_layout(version)) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "this stella cannot read a store at schema " + version +
                         " (it reads schemas " + joined(known_layout_versions()) +
                         "), so it could not check the roots after the migration; " + version +
                         " can only be a step on the way",
                     "migrate to a version this stella reads, e.g. --to-version " +
                         known_layout_versions().back());
  }
}

void require_consistent(const StoreState& state) {
  if (!state.inconsistencies.empty()) {
    std::string lines;
    for (const auto& line : state.inconsistencies) {
      lines += (lines.empty() ? "" : "; ") + line;
    }
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store's stored roots disagree with its data (" + lines +
                         "); a migration must start from a consistent store, so that its roots "
                         "can prove nothing changed",
                     "run `stella evidence verify-all` to find the damage and repair or restore "
                     "the store first");
  }
}

MigrationPlan build_migration_plan(PgConnection& work, const MigrationContext& context,
                                   RunReporter& reporter, const std::string& from_version,
                                   const std::string& to_version, std::int64_t batch_size) {
  const std::vector<VersionEdge> path =
      shortest_version_path(installed_version_edges(context.registry), from_version, to_version);
  require_readable_version(to_version);

  MigrationPlan plan;
  plan.from_version = from_version;
  plan.to_version = to_version;
  plan.batch_size = batch_size;
  plan.created_by = context.globals.operator_name;
  plan.stella_version = STELLA_VERSION;

  // Everything below reads in one transaction that is rolled back: plan() may try work in
  // savepoints to time it, and nothing of it may stay.
  PgTransaction transaction(work);
  require_store_version(work, from_version, "--from-version",
                        "name the store's version with --from-version (`stella evidence migrate "
                        "--status` shows it)");
  plan.created_at = server_time(work);
  plan.store = capture_store_state(work);
  require_consistent(plan.store);
  refuse_orphans_before_migration(work);
  plan.space = measure_store_space(work, context.globals);

  int ordinal = 0;
  for (const VersionEdge& edge : path) {
    const PluginRecord& record = context.registry.schema_step_for_edge(edge.from, edge.to);
    PlannedStep step;
    step.ordinal = ++ordinal;
    step.plugin_id = record.manifest.id;
    step.plugin_version = record.manifest.version;
    step.library_digest = record.library_digest;
    step.library_file = record.library_path.string();
    step.from_version = edge.from;
    step.to_version = edge.to;
    step.capabilities = record.manifest.capabilities;
    const auto plugin = create_step_for_edge(context.registry, record, edge.from, edge.to);
    RunStepContext step_context(work, batch_size, reporter, step.ordinal);
    try {
      step.actions = plugin->plan(step_context).actions;
    } catch (const sdk::Error& e) {
      throw sdk::Error(e.code(),
                       "planning step " + std::to_string(step.ordinal) + " (" + step.plugin_id +
                           " " + step.plugin_version + ", " + step.library_file +
                           ") failed: " + e.what(),
                       e.hint());
    }
    if (step.actions.empty()) {
      throw sdk::Error(
          sdk::ErrorCode::refused,
          "plugin " + step.plugin_id + " planned no action for " + edge.from + " \u2192 " + edge.to,
          "this is a bug in the plugin: report it to its authors");
    }
    plan.steps.push_back(std::move(step));
  }
  return plan;  // the transaction rolls back here
}

MigrationPlan make_migration_plan(const MigrationContext& context, const std::string& from_version,
                                  const std::string& to_version, std::int64_t batch_size) {
  const auto work = PgConnection::connect(context.conninfo);
  if (migration_lock_holder_pid(*work) != 0) {
    throw sdk::Error(
        sdk::ErrorCode::refused,
        "a migration is running on this store: " + describe_migration_lock_holder(*work) +
            "; a plan made now would describe a store that is changing",
        "wait for it to finish (`stella evidence migrate --status` shows it), then "
        "plan again");
  }
  if (run_journal_exists(*work)) {
    if (const auto unfinished = read_unfinished_run(*work)) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "run " + std::to_string(unfinished->run_id) + " (" +
                           unfinished->from_version + " \u2192 " + unfinished->to_version +
                           ") is unfinished (" + std::string(run_status_name(unfinished->status)) +
                           "); no new plan can be made until it is resumed or rolled back",
                       unfinished_run_remedy(*unfinished, detect_store_version(*work)));
    }
  }
  RunReporter reporter(context.err, context.globals);
  return build_migration_plan(*work, context, reporter, from_version, to_version, batch_size);
}

}  // namespace stella::host
