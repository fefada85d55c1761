// `stella evidence migrate`: dry-run plans, execution, plan files, status, logs, resume and
// rollback (docs/migration.md; runbook "Schema Migration", "Immediate Rollback", "Migration Stuck
// or Timeout").
#include <algorithm>
#include <optional>
#include <ostream>
#include <regex>
#include <string_view>
#include <vector>

#include "cli/command_registrars.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/evidence/atomic_file.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/migration/migration_executor.hpp"
#include "stella/host/migration/migration_status.hpp"
#include "stella/host/migration/plan_file.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

enum class OutputFormat { text = 1, json = 2 };

/// What the invocation asks for. Zero is not a valid value.
enum class MigrateMode { migrate = 1, dry_run, plan_file, status, logs, resume, rollback };

OutputFormat output_format(const GlobalOptions& globals) {
  if (globals.format.empty() || globals.format == "text") {
    return OutputFormat::text;
  }
  if (globals.format == "json") {
    return OutputFormat::json;
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "--format is '" + globals.format + "'; migrate writes text or json",
                   "use --format text or --format json");
}

std::optional<std::string> optional_string(const po::variables_map& options, const char* name) {
  if (!options.count(name)) {
    return std::nullopt;
  }
  return options[name].as<std::string>();
}

/// How to name the versions, for the mode that is missing one.
constexpr const char* kVersionsExample =
    "for example: stella evidence migrate --from-version 1.0 --to-version 2.0 --dry-run";
constexpr const char* kRollbackExample =
    "name the version the store is at now, for example: stella evidence migrate --rollback "
    "--from-version 2.0 (`stella evidence migrate --status` shows the store's version)";

std::string checked_version(const std::optional<std::string>& version, const char* flag,
                            const char* example = kVersionsExample) {
  static const std::regex version_pattern(R"((0|[1-9][0-9]*)\.(0|[1-9][0-9]*))");
  if (!version) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, std::string(flag) + " is required here",
                     example);
  }
  if (!std::regex_match(*version, version_pattern)) {
    throw sdk::Error(
        sdk::ErrorCode::invalid_input,
        std::string(flag) + " is '" + *version + "'; expected a schema version such as 1.0 or 2.0",
        "`stella evidence migrate --status` shows the store's version");
  }
  return *version;
}

MigrateMode chosen_mode(const po::variables_map& options) {
  std::vector<std::pair<const char*, MigrateMode>> chosen;
  const std::pair<const char*, MigrateMode> switches[] = {{"dry-run", MigrateMode::dry_run},
                                                          {"status", MigrateMode::status},
                                                          {"logs", MigrateMode::logs},
                                                          {"resume", MigrateMode::resume},
                                                          {"rollback", MigrateMode::rollback}};
  for (const auto& [name, mode] : switches) {
    if (options[name].as<bool>()) {
      chosen.emplace_back(name, mode);
    }
  }
  if (options.count("plan")) {
    chosen.emplace_back("plan", MigrateMode::plan_file);
  }
  if (chosen.size() > 1) {
    throw sdk::Error(
        sdk::ErrorCode::invalid_input,
        std::string("--") + chosen[0].first + " and --" + chosen[1].first + " cannot be combined",
        "choose one of --dry-run, --plan, --status, --logs, --resume, --rollback (or "
        "none to migrate)");
  }
  return chosen.empty() ? MigrateMode::migrate : chosen[0].second;
}

void refuse_option(const po::variables_map& options, const char* name, const char* mode) {
  if (options.count(name) && !options[name].defaulted()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string("--") + name + " has no meaning with " + mode,
                     "see `stella evidence migrate --help`");
  }
}

/// The mode's own flags. A flag given to a mode that does not use it is refused rather than
/// ignored: an operator who wrote `--status --output st.json` or `--resume --reason ...` expects
/// a file or a recorded reason, and must not be left believing they got one.
struct ModeFlags {
  MigrateMode mode;
  /// How the mode is named in the refusal.
  const char* name;
  std::vector<const char*> accepted;
};

const ModeFlags& flags_of(MigrateMode mode) {
  static const std::vector<ModeFlags> table = {
      {MigrateMode::migrate, "a migration", {"from-version", "to-version", "batch-size"}},
      {MigrateMode::dry_run, "--dry-run", {"from-version", "to-version", "batch-size", "output"}},
      {MigrateMode::plan_file, "--plan", {"plan", "from-version", "to-version"}},
      {MigrateMode::status, "--status", {"run"}},
      {MigrateMode::logs, "--logs", {"run"}},
      {MigrateMode::resume, "--resume", {"batch-size"}},
      {MigrateMode::rollback, "--rollback", {"from-version", "to-version", "batch-size", "reason"}},
  };
  for (const ModeFlags& flags : table) {
    if (flags.mode == mode) {
      return flags;
    }
  }
  throw sdk::Error(sdk::ErrorCode::internal, "migrate has no flag table for this mode");
}

/// Throws sdk::Error(invalid_input) naming the first flag given that `mode` does not use.
void refuse_flags_of_other_modes(const po::variables_map& options, MigrateMode mode) {
  static const char* const kModeFlags[] = {"from-version", "to-version", "output",
                                           "batch-size",   "run",        "reason"};
  const ModeFlags& flags = flags_of(mode);
  for (const char* name : kModeFlags) {
    const bool accepted =
        std::any_of(flags.accepted.begin(), flags.accepted.end(),
                    [&](const char* allowed) { return std::string_view(allowed) == name; });
    if (accepted) {
      continue;
    }
    // Worded as the refusals before it were, so that scripts matching them keep working.
    if (mode == MigrateMode::plan_file && std::string_view(name) == "batch-size") {
      refuse_option(options, name, "--plan (the plan fixes the batch size)");
    }
    if (mode == MigrateMode::migrate && std::string_view(name) == "output") {
      refuse_option(options, name, "a migration (use it with --dry-run)");
    }
    if (std::string_view(name) == "run") {
      refuse_option(options, name, "anything but --status and --logs");
    }
    refuse_option(options, name, flags.name);
  }
}

std::int64_t batch_size_of(const po::variables_map& options) {
  const std::int64_t size = options["batch-size"].as<std::int64_t>();
  if (size < 1) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--batch-size is " + std::to_string(size) + "; expected at least 1",
                     "use a batch size of 1 or more rows (default " +
                         std::to_string(kDefaultMigrationBatchSize) + ")");
  }
  return size;
}

std::optional<std::int64_t> run_id_of(const po::variables_map& options) {
  if (!options.count("run")) {
    return std::nullopt;
  }
  return options["run"].as<std::int64_t>();
}

void write_outcome(std::ostream& out, OutputFormat format, const RunOutcome& outcome) {
  if (format == OutputFormat::json) {
    rapidjson::Document document;
    document.SetObject();
    auto& allocator = document.GetAllocator();
    const auto text = [&](const std::string& value) {
      return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()),
                              allocator);
    };
    document.AddMember("runId", rapidjson::Value(static_cast<std::int64_t>(outcome.run_id)),
                       allocator);
    document.AddMember("kind", text(std::string(run_kind_name(outcome.kind))), allocator);
    document.AddMember("status", text(std::string(run_status_name(outcome.status))), allocator);
    document.AddMember("fromVersion", text(outcome.from_version), allocator);
    document.AddMember("toVersion", text(outcome.to_version), allocator);
    document.AddMember("schemaVersion", text(outcome.after.schema_version), allocator);
    document.AddMember("globalRootBefore", text(outcome.before.global_root), allocator);
    document.AddMember("globalRootAfter", text(outcome.after.global_root), allocator);
    out << json_to_string(document, JsonLayout::pretty) << '\n';
    return;
  }
  const char* verb = outcome.kind == RunKind::rollback ? "rolled back" : "migrated";
  if (outcome.status == RunStatus::rolled_back) {
    verb = "rolled back";
  }
  out << verb << " schema " << outcome.from_version << " \u2192 " << outcome.to_version << " (run "
      << outcome.run_id << "); the store is at " << outcome.after.schema_version << "; global root "
      << outcome.after.global_root
      << (outcome.before.global_root == outcome.after.global_root ? " (unchanged)" : "") << '\n';
}

int run_migrate(Invocation& call) {
  const po::variables_map& options = call.options;
  const OutputFormat format = output_format(call.globals);
  const MigrateMode mode = chosen_mode(options);
  refuse_flags_of_other_modes(options, mode);
  const std::string conninfo = resolve_database(call.globals);

  if (mode == MigrateMode::status || mode == MigrateMode::logs) {
    const auto connection = PgConnection::connect(conninfo);
    if (mode == MigrateMode::status) {
      const MigrationStatus status = read_migration_status(*connection, run_id_of(options));
      format == OutputFormat::json ? write_migration_status_json(call.out, status)
                                   : write_migration_status_text(call.out, status);
    } else {
      const MigrationLogs logs = read_migration_logs(*connection, run_id_of(options));
      format == OutputFormat::json ? write_migration_logs_json(call.out, logs)
                                   : write_migration_logs_text(call.out, logs);
    }
    return kExitSuccess;
  }
  PluginRegistry registry = PluginRegistry::discover(
      plugin_search_path(call.globals.plugin_dirs, call.globals.plugin_path_env));
  MigrationContext context{conninfo, call.globals, registry, call.err};
  if ((mode == MigrateMode::resume || mode == MigrateMode::rollback) &&
      !options["batch-size"].defaulted()) {
    context.batch_size_override = batch_size_of(options);
  }

  switch (mode) {
    case MigrateMode::dry_run: {
      if (const auto output = optional_string(options, "output")) {
        require_writable_output(*output);
      }
      const MigrationPlan plan = make_migration_plan(
          context, checked_version(optional_string(options, "from-version"), "--from-version"),
          checked_version(optional_string(options, "to-version"), "--to-version"),
          batch_size_of(options));
      if (const auto output = optional_string(options, "output")) {
        write_plan_file(plan, *output);
        if (!call.globals.quiet) {
          call.err << "stella: plan written to " << *output << "; execute exactly this plan with "
                   << "`stella evidence migrate --plan " << *output << "`\n";
        }
      }
      if (format == OutputFormat::json) {
        call.out << plan_to_json_text(plan) << '\n';
      } else {
        write_plan_text(call.out, plan);
      }
      return kExitSuccess;
    }
    case MigrateMode::plan_file: {
      const MigrationPlan plan = read_plan_file(options["plan"].as<std::string>());
      for (const auto& [flag, planned] :
           {std::pair<const char*, std::string>{"from-version", plan.from_version},
            std::pair<const char*, std::string>{"to-version", plan.to_version}}) {
        if (const auto given = optional_string(options, flag); given && *given != planned) {
          throw sdk::Error(
              sdk::ErrorCode::invalid_input,
              std::string("--") + flag + " is " + *given + ", but the plan says " + planned,
              "leave the version flags out with --plan, or make a new plan");
        }
      }
      write_outcome(call.out, format, run_migration_plan(context, plan));
      return kExitSuccess;
    }
    case MigrateMode::resume: {
      const auto outcome = resume_migration(context);
      if (!outcome) {
        call.out << "Nothing to resume: no migration run of this store is unfinished "
                    "(`stella evidence migrate --status` shows the last run).\n";
        return kExitSuccess;
      }
      write_outcome(call.out, format, *outcome);
      return kExitSuccess;
    }
    case MigrateMode::rollback: {
      const std::string reason =
          optional_string(options, "reason")
              .value_or("rollback requested by " + call.globals.operator_name);
      const auto to_version = optional_string(options, "to-version");
      write_outcome(call.out, format,
                    rollback_migration(context,
                                       checked_version(optional_string(options, "from-version"),
                                                       "--from-version", kRollbackExample),
                                       to_version ? std::optional<std::string>(
                                                        checked_version(to_version, "--to-version"))
                                                  : std::nullopt,
                                       reason));
      return kExitSuccess;
    }
    case MigrateMode::migrate: {
      write_outcome(
          call.out, format,
          run_migration(context,
                        checked_version(optional_string(options, "from-version"), "--from-version"),
                        checked_version(optional_string(options, "to-version"), "--to-version"),
                        batch_size_of(options)));
      return kExitSuccess;
    }
    case MigrateMode::status:
    case MigrateMode::logs:
      break;
  }
  return kExitSuccess;
}

}  // namespace

void register_migration_commands(CommandTable& table) {
  Command command;
  command.group = "evidence";
  command.verb = "migrate";
  command.summary = "plan, run, resume or roll back a schema migration (chain of step plugins)";
  command.add_options = [](po::options_description& options) {
    options.add_options()("from-version", po::value<std::string>(),
                          "the schema version the store is at")(
        "to-version", po::value<std::string>(), "the schema version to reach")(
        "dry-run", po::bool_switch(),
        "print the plan (steps, actions, rows, locks, estimates) and change nothing")(
        "output", po::value<std::string>(),
        "with --dry-run: also write the plan as JSON to this file")(
        "plan", po::value<std::string>(),
        "execute exactly the plan in this file (made with --dry-run --output)")(
        "batch-size", po::value<std::int64_t>()->default_value(kDefaultMigrationBatchSize),
        "rows per batch, each batch its own transaction with a checkpoint (with --resume or "
        "--rollback: replaces the run's batch size)")(
        "status", po::bool_switch(),
        "show the store's version, the migration lock and the current or last run")(
        "logs", po::bool_switch(), "show a run's log and the audit events it wrote")(
        "run", po::value<std::int64_t>(),
        "with --status or --logs: the run to show (default: the unfinished or last one)")(
        "resume", po::bool_switch(), "continue the interrupted run from its last checkpoints")(
        "rollback", po::bool_switch(),
        "take the store back to the version before its last migration (or undo the unfinished "
        "run)")("reason", po::value<std::string>(),
                "with --rollback: why, for the run record and the audit trail");
  };
  command.help_epilog =
      "Examples:\n"
      "  stella evidence migrate --from-version 1.0 --to-version 2.0 --dry-run\n"
      "  stella evidence migrate --from-version 1.0 --to-version 2.0 --dry-run --output plan.json\n"
      "  stella evidence migrate --plan plan.json\n"
      "  stella evidence migrate --from-version 1.0 --to-version 2.0 --batch-size 5000\n"
      "  stella evidence migrate --status\n"
      "  stella evidence migrate --logs\n"
      "  stella evidence migrate --resume\n"
      "  stella evidence migrate --rollback --from-version 2.0 --reason \"failed smoke test\"\n\n"
      "A failure at any point rolls the run back automatically; the rollback counts as done only\n"
      "when the roots equal those recorded before the run. docs/migration.md has the details.\n"
      "Exit codes: 0 success (or nothing to resume); 1 a rollback could not restore the store\n"
      "(run recorded as rollback_failed) or verification failed; 2 usage or bad input (a bad plan\n"
      "file); 3 refused (lock held, store at another version, no path between versions, the store\n"
      "or a plugin changed since the plan, a failed run that was rolled back).";
  command.run = run_migrate;
  table.add(std::move(command));
}

}  // namespace stella::host
