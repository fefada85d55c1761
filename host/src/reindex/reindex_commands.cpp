// `stella evidence reindex`: dry-run plan, run (start, join, resume), and --progress.
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include <rapidjson/document.h>

#include "cli/command_registrars.hpp"
#include "reindex/config_command.hpp"
#include "reindex/json_fields.hpp"
#include "reindex/progress_printer.hpp"
#include "stella/host/audit/date_argument.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/evidence/atomic_file.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/reindex/reindex_plan.hpp"
#include "stella/host/reindex/reindex_runner.hpp"
#include "stella/host/reindex/reindex_status.hpp"
#include "stella/host/reindex/store_config.hpp"
#include "stella/host/reindex/store_generations.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/sdk/error.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

/// How often `--progress` redraws while a run is live: every second on a terminal, every few
/// seconds as plain lines.
constexpr auto kTerminalRefresh = std::chrono::seconds(1);
constexpr auto kPlainRefresh = std::chrono::seconds(5);

void add_reindex_options(po::options_description& options) {
  options.add_options()(
      "algorithm", po::value<std::string>()->value_name("ID"),
      "target hash algorithm id, as a reindexer plugin provides it and digests carry it (e.g. "
      "sha512; `stella plugins list` shows them under PROVIDES); default: the store's "
      "hash-algorithm setting (`stella evidence config set hash-algorithm ID`)")(
      "dry-run", po::bool_switch(),
      "print the plan (records affected, batches, estimated duration measured on a sample); "
      "change nothing")("output", po::value<std::string>()->value_name("FILE"),
                        "with --dry-run: write the plan to FILE (JSON unless --format text)")(
      "batch-size", po::value<std::int64_t>()->value_name("N"),
      "artifacts per batch (whole bundles; each batch commits with its checkpoint); default 1000")(
      "since", po::value<std::string>()->value_name("DATE"),
      "only bundles created at or after DATE (YYYY-MM-DD or RFC 3339); the new generation is "
      "sealed only once every record is covered")(
      "parallel", po::value<int>()->value_name("P"),
      "worker threads in this process, each with its own connection; default 1")(
      "resume", po::bool_switch(),
      "continue the generation being built (after a crash or kill); its algorithm applies")(
      "progress", po::bool_switch(),
      "show the current or last run: done/total, rate, ETA (refreshing while one runs)");
}

constexpr const char* kHelpEpilog =
    "Reindex adds a new digest generation (one hash algorithm over every artifact) beside the\n"
    "active one, online: evidence may keep arriving. Payloads and old digests are never changed.\n"
    "Batches are rows of a work table; several processes (on several hosts) started the same way\n"
    "share them. When every record is covered, the new generation's roots are sealed, the\n"
    "transition old root -> new root is recorded, and the new generation becomes active.\n"
    "\n"
    "Examples:\n"
    "  stella evidence config set hash-algorithm sha512\n"
    "  stella evidence reindex --dry-run --output reindex-plan.json\n"
    "  stella evidence reindex --batch-size 100 --since 2026-01-01\n"
    "  stella evidence reindex --parallel 4 --batch-size 500\n"
    "  stella evidence reindex --progress\n"
    "  stella evidence reindex --resume\n"
    "\n"
    "Exit codes: 0 done (also: already at the target, nothing to resume, or covered what --since\n"
    "allowed); 1 the active generation's stored roots disagree with its data; 2 bad arguments;\n"
    "3 refused (schema 1.0, no target algorithm, no plugin for it, another algorithm being "
    "built).\n"
    "See docs/reindex.md.";

bool flag(const po::variables_map& options, const char* name) {
  return options.count(name) && options[name].as<bool>();
}

bool given(const po::variables_map& options, const char* name) {
  return options.count(name) && !options[name].defaulted();
}

ReindexRequest request_from(const Invocation& invocation) {
  const po::variables_map& options = invocation.options;
  ReindexRequest request;
  if (given(options, "algorithm")) {
    request.algorithm = options["algorithm"].as<std::string>();
  }
  if (given(options, "batch-size")) {
    request.batch_size = options["batch-size"].as<std::int64_t>();
    if (request.batch_size < 1 || request.batch_size > kMaxReindexBatchSize) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--batch-size is " + std::to_string(request.batch_size) +
                           "; expected 1 to " + std::to_string(kMaxReindexBatchSize),
                       "for example: --batch-size 500");
    }
  }
  if (given(options, "parallel")) {
    request.parallel = options["parallel"].as<int>();
    if (request.parallel < 1 || request.parallel > kMaxReindexParallel) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--parallel is " + std::to_string(request.parallel) + "; expected 1 to " +
                           std::to_string(kMaxReindexParallel),
                       "for example: --parallel 4");
    }
  }
  if (given(options, "since")) {
    request.since = parse_date_argument(options["since"].as<std::string>(), "--since");
  }
  request.resume = flag(options, "resume");
  request.operator_name = invocation.globals.operator_name;
  return request;
}

std::string output_format(const Invocation& invocation, const char* allowed_text) {
  const std::string& format = invocation.globals.format;
  if (format.empty() || format == "text" || format == "json") {
    return format;
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "--format is '" + format + "'; 'stella evidence reindex' " + allowed_text,
                   "use --format text or --format json");
}

void refuse_with(const Invocation& invocation, const char* mode,
                 std::initializer_list<const char*> not_allowed) {
  for (const char* option : not_allowed) {
    if (given(invocation.options, option)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       std::string("--") + option + " does not apply to reindex " + mode,
                       "see 'stella evidence reindex --help'");
    }
  }
}

int run_dry_run(Invocation& invocation, PluginRegistry& registry) {
  const ReindexRequest request = request_from(invocation);
  const std::string format = output_format(invocation, "prints text or json");
  if (given(invocation.options, "output")) {
    require_writable_output(invocation.options["output"].as<std::string>());
  }
  const ReindexPlan plan = plan_reindex(resolve_database(invocation.globals), registry, request);
  if (given(invocation.options, "output")) {
    const std::string path = invocation.options["output"].as<std::string>();
    std::ostringstream text;
    if (format == "text") {
      write_reindex_plan_text(text, plan);
    } else {
      text << reindex_plan_json(plan) << '\n';
    }
    write_file_atomically(path, text.str());
    if (!invocation.globals.quiet) {
      invocation.err << "reindex plan written to " << path << ": " << plan.message
                     << "; estimated duration " << duration_text(plan.estimate.seconds) << '\n';
    }
    return kExitSuccess;
  }
  if (format == "json") {
    invocation.out << reindex_plan_json(plan) << '\n';
  } else {
    write_reindex_plan_text(invocation.out, plan);
  }
  return kExitSuccess;
}

const char* result_name(ReindexResultKind kind) {
  switch (kind) {
    case ReindexResultKind::already_current:
      return "already-current";
    case ReindexResultKind::sealed:
      return "sealed";
    case ReindexResultKind::sealed_elsewhere:
      return "sealed-by-another-worker";
    case ReindexResultKind::incomplete:
      return "incomplete";
    case ReindexResultKind::nothing_to_resume:
      return "nothing-to-resume";
  }
  return "unknown";
}

std::string outcome_json(const ReindexOutcome& outcome) {
  rapidjson::Document root(rapidjson::kObjectType);
  auto& allocator = root.GetAllocator();
  add_string(root, "kind", "reindex-result", allocator);
  add_string(root, "result", result_name(outcome.kind), allocator);
  add_string(root, "message", outcome.message, allocator);
  add_string(root, "algorithm", outcome.algorithm, allocator);
  add_int(root, "generation", outcome.generation, allocator);
  add_int(root, "fromGeneration", outcome.from_generation, allocator);
  add_int(root, "runId", outcome.run_id, allocator);
  add_bool(root, "joined", outcome.joined, allocator);
  add_int(root, "batchesHere", outcome.batches_here, allocator);
  add_int(root, "artifactsHashedHere", outcome.artifacts_hashed_here, allocator);
  add_int(root, "bytesHashedHere", outcome.bytes_hashed_here, allocator);
  add_int(root, "stragglerBundles", outcome.straggler_bundles, allocator);
  add_double(root, "seconds", outcome.seconds, allocator);
  add_optional_string(
      root, "since", outcome.since ? std::optional<std::string_view>(*outcome.since) : std::nullopt,
      allocator);
  add_int(root, "missingBundles", outcome.missing_bundles, allocator);
  add_int(root, "missingArtifacts", outcome.missing_artifacts, allocator);
  add_int(root, "missingArtifactsBeforeSince", outcome.missing_artifacts_before_since, allocator);
  add_string(root, "oldGlobalRoot", outcome.old_global_root, allocator);
  add_string(root, "newGlobalRoot", outcome.new_global_root, allocator);
  rapidjson::Value transition;
  if (outcome.transition_id > 0) {
    transition.SetInt64(outcome.transition_id);
  }
  add_value(root, "transitionId", transition, allocator);
  add_int(root, "tenants", outcome.tenants, allocator);
  add_int(root, "bundles", outcome.bundles, allocator);
  add_int(root, "artifacts", outcome.artifacts, allocator);
  return json_to_string(root, JsonLayout::pretty);
}

void write_outcome_text(std::ostream& out, const ReindexOutcome& outcome) {
  out << outcome.message << '\n';
  if (outcome.run_id == 0) {
    return;
  }
  out << "  run " << outcome.run_id << (outcome.joined ? " (joined)" : "") << ": this process did "
      << with_thousands(outcome.batches_here) << " batches, hashed "
      << with_thousands(outcome.artifacts_hashed_here) << " artifacts ("
      << with_thousands(outcome.bytes_hashed_here) << " bytes) in "
      << duration_text(outcome.seconds) << '\n';
  if (outcome.straggler_bundles > 0) {
    out << "  " << with_thousands(outcome.straggler_bundles)
        << " bundles that arrived during the run were covered before sealing\n";
  }
  if (outcome.kind == ReindexResultKind::sealed) {
    out << "  covered " << with_thousands(outcome.artifacts) << " artifacts in "
        << with_thousands(outcome.bundles) << " bundles of " << with_thousands(outcome.tenants)
        << " tenants\n";
  }
}

int run_progress(Invocation& invocation) {
  const std::string format = output_format(invocation, "--progress prints text or json");
  const auto connection = PgConnection::connect(resolve_database(invocation.globals));
  require_generations_schema(*connection, "reindex --progress");
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  bool redrawing = false;
  while (true) {
    const ReindexStatus status = read_reindex_status(*connection);
    if (!status.live()) {
      if (redrawing) {
        invocation.out << '\n';
      }
      if (format == "json") {
        invocation.out << reindex_status_json(status) << '\n';
      } else {
        write_reindex_status_text(invocation.out, status);
      }
      return kExitSuccess;
    }
    if (format == "json") {
      invocation.out << reindex_status_json(status) << '\n' << std::flush;
    } else if (terminal) {
      invocation.out << "\r\033[Krun " << status.run_id << " (" << status.status
                     << "): " << progress_bar_text(status.progress) << std::flush;
      redrawing = true;
    } else {
      invocation.out << "run " << status.run_id << " (" << status.status
                     << "): " << progress_bar_text(status.progress) << '\n'
                     << std::flush;
    }
    std::this_thread::sleep_for(terminal ? kTerminalRefresh : kPlainRefresh);
  }
}

int run_reindex_verb(Invocation& invocation) {
  const po::variables_map& options = invocation.options;
  if (flag(options, "progress")) {
    refuse_with(invocation, "--progress",
                {"algorithm", "dry-run", "output", "batch-size", "since", "parallel", "resume"});
    return run_progress(invocation);
  }
  PluginRegistry registry = PluginRegistry::discover(
      plugin_search_path(invocation.globals.plugin_dirs, invocation.globals.plugin_path_env));
  if (flag(options, "dry-run")) {
    return run_dry_run(invocation, registry);
  }
  refuse_with(invocation, "without --dry-run", {"output"});
  const ReindexRequest request = request_from(invocation);
  const std::string format = output_format(invocation, "prints text or json");
  ProgressPrinter printer(invocation.err, invocation.globals.progress_format,
                          invocation.globals.quiet);
  const std::string conninfo = resolve_database(invocation.globals);
  const ReindexOutcome outcome = run_reindex(conninfo, registry, request, printer);
  if (format == "json") {
    invocation.out << outcome_json(outcome) << '\n';
  } else {
    write_outcome_text(invocation.out, outcome);
  }
  if (request.algorithm && !invocation.globals.quiet &&
      (outcome.kind == ReindexResultKind::sealed ||
       outcome.kind == ReindexResultKind::sealed_elsewhere)) {
    // --algorithm does not change the store's target: the runbook's plain `reindex` would move the
    // store back to it, a full reindex nobody asked for.
    const auto connection = PgConnection::connect(conninfo);
    const std::optional<ConfigEntry> target = read_config(*connection, kHashAlgorithmKey);
    if (target && target->value != outcome.algorithm) {
      invocation.err << "stella: note: the store's hash-algorithm setting is still "
                     << target->value << ": a plain `stella evidence reindex` would move the store"
                     << " back to " << target->value << ". To keep " << outcome.algorithm
                     << " the target: stella evidence config set hash-algorithm "
                     << outcome.algorithm << '\n';
    }
  }
  return kExitSuccess;
}

}  // namespace

void register_reindex_commands(CommandTable& table) {
  Command reindex;
  reindex.group = "evidence";
  reindex.verb = "reindex";
  reindex.summary = "add a digest generation of another hash algorithm, online (plan, run, resume)";
  reindex.add_options = add_reindex_options;
  reindex.help_epilog = kHelpEpilog;
  reindex.run = run_reindex_verb;
  table.add(std::move(reindex));
  register_config_command(table);
}

}  // namespace stella::host
