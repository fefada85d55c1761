// The human-readable forms of `stella plugins list` and `stella plugins inspect`.
#pragma once

#include <iosfwd>
#include <vector>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// A table (id, version, kind, ABI, provides, status, file), then for every plugin that is not
/// usable its reason and what to do, then the search path.
void print_plugin_table(const PluginRegistry& registry, std::ostream& out);

/// Everything about one plugin, one field per line, then the other plugins with the same id.
void print_plugin_details(const PluginRecord& record,
                          const std::vector<const PluginRecord*>& same_id, std::ostream& out);

}  // namespace stella::host
