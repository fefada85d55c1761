// What every kind's checks work with: the plugin under test in a registry of its own, the
// operator's installed plugins (to bring the throwaway store to the versions the plugin needs),
// and where results and progress go.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <vector>

#include "conformance/check_recorder.hpp"
#include "stella/host/cli/global_options.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

struct ConformanceSetting {
  /// The operator's options, quietened: the host machinery the checks drive reports through the
  /// checks instead of its own lines.
  const GlobalOptions& globals;
  /// The plugins on the search path (--plugin-dir, STELLA_PLUGIN_PATH, install directory).
  PluginRegistry& installed;
  /// Holds only the plugin under test, loaded and checked.
  PluginRegistry& tested;
  std::size_t index = 0;
  bool keep_home = false;
  CheckRecorder& checks;
  /// Where host machinery writes what it must say (its messages; progress is off).
  std::ostream& err;

  const PluginRecord& record() const { return tested.plugins()[index]; }
};

/// A search path of `directories` for plugins under test: running `stella plugins test` is the
/// author's consent to load them unsigned (plugins with pack files are still checked against
/// --trusted-keys). plugin_conformance.cpp
PluginSearchPath consenting_search_path(std::vector<std::filesystem::path> directories,
                                        const GlobalOptions& globals);

/// schema_step_checks.cpp
void run_schema_step_checks(ConformanceSetting& setting);
/// reindexer_checks.cpp
void run_reindexer_checks(ConformanceSetting& setting);
/// importer_checks.cpp
void run_importer_checks(ConformanceSetting& setting);

}  // namespace stella::host
