// `stella evidence reconcile --source attestor [--dry-run | --apply]`.
#include "diagnostics/reconcile_command.hpp"

#include "bundles/importer_context.hpp"
#include "core/shell_quote.hpp"
#include "stella/host/bundles/bundle_format.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/diagnostics/reconcile.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/sdk/error.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

std::optional<std::string> text_option(const po::variables_map& options, const char* name) {
  if (options.count(name) == 0) {
    return std::nullopt;
  }
  return options[name].as<std::string>();
}

int run_reconcile(Invocation& call) {
  const std::string& format = call.globals.format;
  if (!format.empty() && format != "json" && format != "text") {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--format " + format +
                         " is not supported by `stella evidence reconcile`; expected json or text",
                     "use --format json or --format text");
  }
  const bool json = format == "json";
  const po::variables_map& o = call.options;
  const bool dry_run = o["dry-run"].as<bool>();
  ReconcileOptions options;
  options.apply = o["apply"].as<bool>();
  if (dry_run && options.apply) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--dry-run and --apply were both given; expected one of them",
                     "--dry-run (the default) only reports; --apply imports the missing bundles");
  }
  options.source = o["source"].as<std::string>();
  options.source_database = text_option(o, "source-database");
  options.source_file = text_option(o, "source-file");
  options.limits = bundle_format::default_import_limits();
  options.operator_name = call.globals.operator_name;
  PluginRegistry registry = PluginRegistry::discover(
      plugin_search_path(call.globals.plugin_dirs, call.globals.plugin_path_env));
  ImporterContext context(call.err, call.globals);
  context.set_task("reconcile");
  options.note = [&context](const std::string& line) { context.note(line); };
  ReconcileReport report =
      reconcile_with_source(resolve_database(call.globals), registry, options, context);
  // The same source again: without its --source-database the hint read the store's own records.

  report.apply_command =
      "stella evidence reconcile --source " + options.source +
      (options.source_database ? " --source-database " + shell_quote(*options.source_database)
                               : "") +
      (options.source_file ? " --source-file " + shell_quote(*options.source_file) : "") +
      " --apply";
  call.out << (json ? reconcile_report_to_json(report) : reconcile_report_to_text(report));
  if (!report.source_problems.empty()) {
    return kExitVerificationFailed;
  }
  if (options.apply) {
    // After --apply only what import cannot fix is left: extra and mismatched bundles.
    return report.extra.empty() && report.mismatched.empty() ? kExitSuccess
                                                             : kExitVerificationFailed;
  }
  return report.in_sync() ? kExitSuccess : kExitVerificationFailed;
}

}  // namespace

void add_reconcile_command(CommandTable& table) {
  table.add(Command{
      "evidence", "reconcile",
      "compare the store with a source system's records (missing, extra, mismatched bundles)", "",
      0,
      [](po::options_description& options) {
        options.add_options()("source", po::value<std::string>()->required(),
                              "the source system: attestor")("dry-run", po::bool_switch(),
                                                             "only report (the default)")(
            "apply", po::bool_switch(),
            "import the missing bundles through the normal import path (verified, "
            "all-or-nothing, audited)")(
            "source-database", po::value<std::string>(),
            "read the attestor's tables (schema attestor) from this database instead of the "
            "store's")("source-file", po::value<std::string>(),
                       "read the attestor's NDJSON export (docs/reconcile.md) instead of a "
                       "database");
      },
      "With no other argument the attestor's records are read from schema `attestor` in the\n"
      "store's own database (layout: docs/reconcile.md; a sample: tools/make-attestor-sample.sh).\n"
      "The source is read by the storage importer plugin of format attestor-ndjson.\n"
      "Exit 0 when the store and the source agree (after --apply: when nothing but imported\n"
      "bundles differed); exit 1 when bundles are missing, extra or mismatched, or a source\n"
      "record does not verify; exit 3 with no store or no attestor records.\n"
      "Runbook (Missing Evidence Records): stella evidence reconcile --source attestor",
      run_reconcile});
}

}  // namespace stella::host
