// The JSON documents of `stella plugins list` and `stella plugins inspect`
// (schemas/plugins-list.schema.json, schemas/plugins-inspect.schema.json).
#pragma once

#include <vector>

#include <rapidjson/document.h>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// Every plugin found, in search-path order: an array of plugin objects.
rapidjson::Document plugin_list_json(const std::vector<PluginRecord>& records);

/// One plugin in full: the list object plus the descriptor it reported, the host's ABI and every
/// other plugin found with the same id.
rapidjson::Document plugin_inspection_json(const PluginRecord& record,
                                           const std::vector<const PluginRecord*>& same_id);

}  // namespace stella::host
