// Loading the schema-step plugins of a plan, and only those, with the checks that make a plan
// safe to execute: the same plugin (by library digest and version) as when the plan was made.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/migration/migration_plan.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/sdk/schema_step.hpp"

namespace stella::host {

struct LoadedStep {
  PlannedStep planned;
  std::unique_ptr<sdk::SchemaStep> step;
};

/// Creates the plugin's step object and checks that it reports the edge `from` -> `to` its
/// manifest declared. Throws sdk::Error(refused) otherwise.
std::unique_ptr<sdk::SchemaStep> create_step_for_edge(PluginRegistry& registry,
                                                      const PluginRecord& record,
                                                      const std::string& from,
                                                      const std::string& to);

/// Loads the plugin of every planned step by id. Throws sdk::Error(refused) naming the plugin and
/// what differs when one is missing or unusable, or its version, library digest or edge is not
/// the one `source` recorded ("the plan made at 2026-...", "run 7").
std::vector<LoadedStep> load_planned_steps(PluginRegistry& registry,
                                           const std::vector<PlannedStep>& planned,
                                           std::string_view source);

}  // namespace stella::host
