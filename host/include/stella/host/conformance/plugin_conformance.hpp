// `stella plugins test PATH`: the conformance check a plugin author runs before any operator does
// (docs/conformance.md). The plugin is loaded as the host loads plugins and exercised on a
// throwaway embedded PostgreSQL cluster, never on the operator's store.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <iosfwd>

#include "stella/host/cli/global_options.hpp"
#include "stella/host/conformance/conformance_report.hpp"

namespace stella::host {

struct ConformanceRequest {
  /// A plugin directory (holding manifest.json and the library) or its manifest.json.
  std::filesystem::path plugin_path;
  /// Keep the throwaway state directory (its cluster stopped) for a look afterwards.
  bool keep_home = false;
  /// The longest a check may go without progress (a result or a phase begun) before the plugin
  /// is taken to hang; zero: no limit.
  std::chrono::seconds check_timeout{0};
  /// Called with the report so far, and a failed "makes-progress" check, when a plugin hangs;
  /// the process then ends with exit code 1 (the hung thread cannot be unwound).
  std::function<void(const ConformanceReport&)> on_stall = {};
};

/// The plugin directory `path` names: the directory itself when it holds manifest.json, the
/// directory of a manifest file. Throws sdk::Error(invalid_input) saying what was found when
/// `path` does not exist or is not a plugin.
std::filesystem::path plugin_directory_of(const std::filesystem::path& path);

/// Runs every check for the plugin's kind. A plugin that does not load is reported as the failed
/// check "plugin-loads". Running the checks is the author's consent to load this unsigned plugin
/// (it is loaded as with --allow-unsigned), which is why it only ever touches the throwaway
/// cluster. The installed plugins (--plugin-dir, STELLA_PLUGIN_PATH, install directory, with the
/// usual trust rules) bring the throwaway store to the versions the plugin needs.
/// Progress lines go to `progress` unless globals.quiet. Throws sdk::Error(invalid_input) for a
/// bad path, sdk::Error(cancelled) on SIGINT/SIGTERM (the throwaway cluster is stopped and removed
/// first), sdk::Error(refused) when the throwaway cluster cannot be started.
ConformanceReport test_plugin_conformance(const ConformanceRequest& request,
                                          const GlobalOptions& globals, std::ostream& progress);

}  // namespace stella::host
