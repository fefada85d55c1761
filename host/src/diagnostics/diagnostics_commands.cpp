// The diagnostics verbs: integrity-check, orphans, reconcile (docs/troubleshooting.md).
#include <thread>

#include "cli/command_registrars.hpp"
#include "diagnostics/reconcile_command.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/diagnostics/integrity_check.hpp"
#include "stella/host/diagnostics/orphans.hpp"
#include "stella/host/evidence/atomic_file.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/lost_connection.hpp"
#include "stella/sdk/error.hpp"
#include "stella/sdk/printable_text.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

constexpr const char* kGroup = "evidence";

/// True for JSON, false for text; `fallback` when --format is not given.
bool json_format(const Invocation& call, bool fallback, const char* verb) {
  const std::string& format = call.globals.format;
  if (format.empty()) {
    return fallback;
  }
  if (format == "json" || format == "text") {
    return format == "json";
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "--format " + format + " is not supported by `stella evidence " + verb +
                       "`; expected json or text",
                   "use --format json or --format text");
}

unsigned default_parallelism() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

int run_integrity_check(Invocation& call) {
  const bool json = json_format(call, false, "integrity-check");
  IntegrityOptions options;
  options.deep = call.options["deep"].as<bool>();
  options.operator_name = call.globals.operator_name;
  options.attestation_workers = call.options["parallel"].as<unsigned>();
  if (call.options.count("output")) {
    require_writable_output(call.options["output"].as<std::string>());
  }
  PluginRegistry registry = PluginRegistry::discover(
      plugin_search_path(call.globals.plugin_dirs, call.globals.plugin_path_env));
  if (!call.globals.quiet) {
    call.err << "integrity-check: " << (options.deep ? "deep" : "quick")
             << " check of the store...\n";
  }
  const IntegrityReport report = check_said_on_lost_connection("integrity-check", [&] {
    return check_store_integrity(resolve_database(call.globals), registry, options);
  });
  if (call.options.count("output")) {
    const std::string path = call.options["output"].as<std::string>();
    write_file_atomically(path, integrity_report_to_json(report));
    if (!call.globals.quiet) {
      call.err << "wrote the integrity report to " << sdk::printable_text(path) << '\n';
    }
  }
  call.out << (json ? integrity_report_to_json(report) : integrity_report_to_text(report));
  return report.passed() ? kExitSuccess : kExitVerificationFailed;
}

int run_orphans(Invocation& call) {
  const bool json = json_format(call, false, "orphans");
  const bool list = call.options["list"].as<bool>();
  const bool quarantine = call.options["quarantine"].as<bool>();
  if (list == quarantine) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     list ? "--list and --quarantine were both given; expected one of them"
                          : "orphans needs --list or --quarantine",
                     "stella evidence orphans --list shows them; stella evidence orphans "
                     "--quarantine moves them to schema evidence_quarantine");
  }
  auto connection = PgConnection::connect(resolve_database(call.globals));
  if (list) {
    const OrphanReport report = find_orphans(*connection);
    call.out << (json ? orphan_report_to_json(report, nullptr)
                      : orphan_report_to_text(report, nullptr));
    return report.total == 0 ? kExitSuccess : kExitVerificationFailed;
  }
  const QuarantineSummary summary =
      quarantine_orphans(*connection, call.globals.operator_name, [&call](const std::string& line) {
        if (!call.globals.quiet) {
          call.err << "orphans: " << line << '\n';
        }
      });
  call.out << (json ? orphan_report_to_json(summary.before, &summary)
                    : orphan_report_to_text(summary.before, &summary));
  return summary.kept_total == 0 ? kExitSuccess : kExitVerificationFailed;
}

}  // namespace

void register_diagnostics_commands(CommandTable& table) {
  table.add(Command{
      kGroup, "integrity-check",
      "check stored roots, the audit chain and the schema objects (--deep: every byte, proof and "
      "generation too)",
      "", 0,
      [](po::options_description& options) {
        options.add_options()("deep", po::bool_switch(),
                              "also recompute every digest from the bytes, every root, every "
                              "attestation signature, every generation and transition")(
            "output", po::value<std::string>(),
            "also write the JSON report (schemas/integrity-report.schema.json) to FILE")(
            "parallel", po::value<unsigned>()->default_value(default_parallelism()),
            "threads checking attestation signatures in --deep mode (0: inline)");
      },
      "Quick mode reads no artifact bytes: every stored root is recomputed from what it commits\n"
      "to as stored, the audit chain is verified, and the live tables, columns, constraints and\n"
      "indexes are compared with what the recorded schema version defines. Records a\n"
      "verification event in the audit trail. Exit 0 when clean; exit 1 naming each problem\n"
      "(area, check, object, tenant, bundle, artifact, expected, found); exit 3 with no store.\n"
      "Runbook (Root Hash Mismatch): stella evidence integrity-check --deep",
      run_integrity_check});

  table.add(Command{
      kGroup, "orphans",
      "list rows nothing references or that reference nothing; --quarantine moves them aside", "",
      0,
      [](po::options_description& options) {
        options.add_options()("list", po::bool_switch(), "list every orphan by kind")(
            "quarantine", po::bool_switch(),
            "move quarantinable orphans (not under a legal hold) to evidence_quarantine.records, "
            "recorded in the audit trail; nothing is deleted");
      },
      "Exit codes: --list exits 0 when the store has no orphans and 1 when it has some;\n"
      "--quarantine exits 0 when no orphan is left in place and 1 when some are (held by a\n"
      "legal hold, or sealed evidence that is only missing from the roots).\n"
      "Runbook (Missing Evidence Records): stella evidence orphans --list",
      run_orphans});

  add_reconcile_command(table);
}

}  // namespace stella::host
