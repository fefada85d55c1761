#include "stella/host/conformance/plugin_conformance.hpp"

#include <cstdlib>
#include <optional>
#include <ostream>
#include <sstream>

#include "conformance/check_recorder.hpp"
#include "conformance/check_watchdog.hpp"
#include "conformance/conformance_setting.hpp"
#include "conformance/interruption.hpp"
#include "conformance/throwaway_store.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/plugins/plugin_names.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/sdk/error.hpp"

namespace fs = std::filesystem;

namespace stella::host {
namespace {

constexpr const char* kManifestFile = "manifest.json";

/// On the watchdog's thread, when no check made progress within the limit: the plugin's code
/// holds the test's thread and cannot be unwound, so the report so far (and the hang, as a failed
/// check) is given out, the throwaway clusters are stopped, and the process ends.
[[noreturn]] void stop_hung_test(const ConformanceRequest& request, const CheckRecorder& checks,
                                 std::ostream& progress, const std::string& last_progress) {
  const std::string limit = std::to_string(request.check_timeout.count()) + " s";
  ConformanceReport report = checks.snapshot();
  ThrowawayStore::stop_all();
  report.checks.push_back(
      {"makes-progress",
       CheckStatus::fail,
       "the plugin seems to hang: nothing happened for " + limit + " after '" + last_progress +
           "'; the test stopped there (throwaway clusters stopped)",
       "each check finished, or a phase of it begun, within " + limit,
       "no progress for " + limit,
       {"what to do: run the plugin's code under a debugger at that point; raise the limit with "
        "--check-timeout if the check is only slow"}});
  progress << "stella plugins test: no progress for " << limit << " after '" << last_progress
           << "'; the plugin seems to hang, so the test stops here" << std::endl;
  if (request.on_stall) {
    request.on_stall(report);
  }
  std::_Exit(kExitVerificationFailed);
}

}  // namespace

PluginSearchPath consenting_search_path(std::vector<fs::path> directories,
                                        const GlobalOptions& globals) {
  PluginSearchPath path;
  path.directories = std::move(directories);
  path.trust.allow_unsigned = true;
  if (globals.trusted_keys) {
    path.trust.trusted_keys_directory = fs::path(*globals.trusted_keys);
  }
  return path;
}

fs::path plugin_directory_of(const fs::path& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'" + path.string() +
                         "' does not exist; expected a plugin directory "
                         "(manifest.json and the library) or its manifest.json",
                     "pass the folder stella_add_plugin built, e.g. build/plugins/<id>");
  }
  if (fs::is_directory(status)) {
    if (!fs::exists(path / kManifestFile)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "'" + path.string() +
                           "' is a directory without a manifest.json, so it is "
                           "not a plugin",
                       "pass the plugin's own folder (it holds manifest.json and lib<name>.so), "
                       "not a folder of plugins");
    }
    return fs::absolute(path).lexically_normal();
  }
  if (path.filename() != kManifestFile) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'" + path.string() +
                         "' is a file but not a manifest.json; expected a "
                         "plugin directory or its manifest.json",
                     "pass the plugin's folder, or the manifest.json in it");
  }
  return fs::absolute(path).parent_path().lexically_normal();
}

ConformanceReport test_plugin_conformance(const ConformanceRequest& request,
                                          const GlobalOptions& globals, std::ostream& progress) {
  const fs::path directory = plugin_directory_of(request.plugin_path);
  ConformanceReport report;
  CheckRecorder checks(report, progress, globals);
  std::optional<CheckWatchdog> watchdog;
  if (request.check_timeout.count() > 0) {
    watchdog.emplace(request.check_timeout, [&](const std::string& last_progress) {
      stop_hung_test(request, checks, progress, last_progress);
    });
    checks.watch_with(&*watchdog);
  }
  const InterruptionScope interruption;

  PluginRegistry tested = PluginRegistry::discover(consenting_search_path({directory}, globals));
  report.manifest_path = (directory / kManifestFile).string();
  if (tested.plugins().empty()) {
    checks.fail("plugin-loads", "no plugin was found in " + directory.string(),
                "one plugin (manifest.json and its library)", "nothing");
    return report;
  }
  const PluginRecord& discovered = tested.plugins().front();
  report.plugin_id = discovered.manifest.id;
  report.plugin_version = discovered.manifest.version;
  report.library_path = discovered.library_path.string();
  if (discovered.manifest_valid) {
    report.kind = std::string(plugin_kind_name(discovered.manifest.kind));
    report.provides = describe_provides(discovered.manifest);
  }
  if (!tested.check(0)) {
    const PluginRecord& broken = tested.plugins().front();
    checks.fail("plugin-loads", "the host refuses to load this plugin",
                "a valid manifest, a library of the host's ABI whose descriptor and object agree "
                "with the manifest",
                broken.reason, {"what to do: " + broken.remedy});
    return report;
  }
  checks.pass("plugin-loads", "loaded " + report.library_path + " (" + report.kind + ", " +
                                  report.provides +
                                  "): manifest, ABI, descriptor and factory agree");

  GlobalOptions host_globals = globals;
  host_globals.quiet = true;
  PluginRegistry installed =
      PluginRegistry::discover(plugin_search_path(globals.plugin_dirs, globals.plugin_path_env));
  std::ostringstream host_messages;
  ConformanceSetting setting{host_globals,      installed, tested,       0,
                             request.keep_home, checks,    host_messages};
  try {
    switch (tested.plugins().front().manifest.kind) {
      case sdk::PluginKind::schema_step:
        run_schema_step_checks(setting);
        break;
      case sdk::PluginKind::reindexer:
        run_reindexer_checks(setting);
        break;
      case sdk::PluginKind::storage_importer:
        run_importer_checks(setting);
        break;
    }
  } catch (const sdk::Error& error) {
    if (error.code() == sdk::ErrorCode::cancelled || !interruption_requested()) {
      throw;
    }
    throw sdk::Error(sdk::ErrorCode::cancelled,
                     std::string("stella plugins test was interrupted (") + error.what() +
                         "); the throwaway cluster was stopped and removed",
                     "run it again when ready");
  }
  return report;
}

}  // namespace stella::host
