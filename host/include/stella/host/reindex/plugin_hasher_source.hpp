// The reindexer plugins as the source of hashers for algorithms the host has no built-in hasher
// for (merkle/hasher_for_algorithm.hpp).
#pragma once

#include <string>
#include <vector>
#include "stella/host/merkle/hasher_for_algorithm.hpp"

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// A PluginHasherSource over the reindexer plugins on the search path of `plugin_dirs` and
/// `plugin_path_env` (plugin_search_path). The path is resolved and the plugins discovered when a
/// hasher is first asked for, once for the process, so verbs that never meet such an algorithm
/// look at no plugin. Each hasher owns its plugin object. Thread-safe.
PluginHasherSource reindexer_plugin_hasher_source(std::vector<std::string> plugin_dirs,
                                                  std::vector<std::string> plugin_path_env);

}  // namespace stella::host
