// `stella plugins test PATH`: runs the conformance checks and prints the report.
#include <chrono>
#include <ostream>

#include "cli/command_registrars.hpp"
#include "conformance/report_output.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/conformance/plugin_conformance.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr const char* kKeepHomeOption = "keep-home";
constexpr const char* kCheckTimeoutOption = "check-timeout";
/// Long enough for the slowest check (three real reindexes of the sample store) on a busy
/// machine, short enough that a hung plugin does not hold a terminal or a CI job for long.
constexpr int kDefaultCheckTimeoutSeconds = 900;

int run_test(Invocation& invocation) {
  const std::string& format = invocation.globals.format;
  const bool json = format == "json";
  if (!json && !format.empty() && format != "text") {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--format is '" + format + "'; 'stella plugins test' writes text or json",
                     "use --format text or --format json");
  }
  if (invocation.positional.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'stella plugins test' needs the PATH of a plugin; found no argument",
                     "run 'stella plugins test build/plugins/<id>' (the folder holding the "
                     "plugin's manifest.json and library)");
  }
  ConformanceRequest request;
  request.plugin_path = invocation.positional.front();
  request.keep_home = invocation.options.count(kKeepHomeOption) > 0;
  const int timeout = invocation.options[kCheckTimeoutOption].as<int>();
  if (timeout < 0) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--check-timeout is " + std::to_string(timeout) +
                         "; it is a number of seconds, 0 for no limit",
                     "for example --check-timeout 1800");
  }
  request.check_timeout = std::chrono::seconds(timeout);
  const auto print = [&](const ConformanceReport& report) {
    if (json) {
      invocation.out << json_to_string(conformance_report_json(report)) << '\n';
    } else {
      print_conformance_report(report, invocation.out);
    }
    invocation.out.flush();
  };
  request.on_stall = print;
  const ConformanceReport report =
      test_plugin_conformance(request, invocation.globals, invocation.err);
  print(report);
  return report.passed() ? kExitSuccess : kExitVerificationFailed;
}

}  // namespace

void register_conformance_commands(CommandTable& table) {
  table.add(Command{
      "plugins", "test",
      "check that a plugin keeps the plugin contract (conformance), on a throwaway store", "PATH",
      1,
      [](boost::program_options::options_description& options) {
        options.add_options()(kKeepHomeOption,
                              "keep the throwaway state directory (its cluster stopped) and "
                              "print where it is")(
            kCheckTimeoutOption,
            boost::program_options::value<int>()->default_value(kDefaultCheckTimeoutSeconds),
            "seconds a check may go without progress before the plugin is taken to hang (the "
            "test then stops, reporting check makes-progress as failed); 0: no limit");
      },
      "PATH is a plugin directory (manifest.json and the library) or its manifest.json. The\n"
      "plugin is loaded as the host loads plugins (running this command is your consent to load\n"
      "it unsigned) and exercised on a throwaway embedded PostgreSQL cluster in a new temporary\n"
      "directory, stopped and removed at the end; the operator's store is never touched.\n"
      "Installed plugins (--plugin-dir, STELLA_PLUGIN_PATH, the install directory) bring the\n"
      "throwaway store to the schema version the plugin needs.\n\n"
      "Checks, by kind (docs/conformance.md):\n"
      "  all:              plugin-loads\n"
      "  schema step:      store-at-from-version, dry-run-changes-nothing, up, verify-after-up,\n"
      "                    down-restores-roots, down-restores-rows, second-round-trip\n"
      "  reindexer:        digest-size, published-vectors, openssl-agreement,\n"
      "                    rfc9162-leaf-and-node, deterministic-across-chunks-and-threads,\n"
      "                    deterministic-across-batches-and-threads\n"
      "  storage importer: reads-valid-source, refuses-bad-input\n"
      "One line per check: PASS, FAIL (with what was expected and found) or SKIP (with why).\n"
      "A plugin that hangs (no check finishes, and no phase of one begins, for --check-timeout\n"
      "seconds) fails check makes-progress; the test stops there, its throwaway cluster stopped.\n"
      "Progress goes to stderr. With --format json the report follows\n"
      "schemas/plugin-conformance-report.schema.json.\n\n"
      "Examples:\n"
      "  stella plugins test build/plugins/example-sha3-224\n"
      "  stella plugins test build/plugins/my-step --plugin-dir /opt/stella/plugins --format "
      "json\n\n"
      "Exit codes: 0 every check passed (or was skipped), 1 a check failed (or the plugin\n"
      "hangs), 2 bad usage (no PATH, a PATH that does not exist or is not a plugin, bad --format,\n"
      "a negative --check-timeout), 3 the throwaway cluster could not be started or the run was\n"
      "interrupted.",
      run_test});
}

}  // namespace stella::host
