// The trust check discovery runs for every plugin before it can ever be dlopen'ed: a plugin from an
// installed pack is checked against the pack's signed manifest, a plugin from no pack needs
// --allow-unsigned unless it sits in the install directory (docs/plugin-packs.md).
#pragma once

#include <filesystem>
#include <optional>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// The trust options the command line gave (--trusted-keys / STELLA_TRUSTED_KEYS and
/// --allow-unsigned). The CLI sets them once per run, before any verb discovers plugins, so that
/// every verb's plugin_search_path() applies the same policy. Not thread-safe: set before any
/// plugin discovery starts.
void set_command_line_plugin_trust(std::optional<std::filesystem::path> trusted_keys_directory,
                                   bool allow_unsigned);

/// The options set by set_command_line_plugin_trust(); before any call: no trusted keys, unsigned
/// plugins refused.
PluginTrustPolicy command_line_plugin_trust();

/// Decides `record.origin` and, when the plugin must not be loaded, marks it broken with every
/// failed check at once (which file, which check, found/expected) and what to do. Runs no plugin
/// code; only records whose status is still `discovered` are checked. Never throws.
void apply_plugin_trust(PluginRecord& record, const PluginTrustPolicy& policy);

}  // namespace stella::host
