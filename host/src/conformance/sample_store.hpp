// The evidence the checks run on: a 1.0 store seeded with a few tenants, bundles and artifacts of
// varied sizes (fixed seed and times, so two runs give the same roots), brought to the version a
// plugin needs through the installed schema steps.
#pragma once

#include <iosfwd>
#include <string>

#include "stella/host/cli/global_options.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// Creates a 1.0 store in the database `conninfo` names and seeds it. Throws sdk::Error.
void create_sample_store(const std::string& conninfo, const std::string& operator_name);

/// Migrates the store from its version to `version` with the installed plugins, through the host's
/// migration machinery. Returns normally when the store is already there. Throws
/// sdk::Error(refused) naming the missing edge when no path exists (the planner's message).
void migrate_sample_store(const std::string& conninfo, const GlobalOptions& globals,
                          PluginRegistry& installed, const std::string& version, std::ostream& err);

}  // namespace stella::host
