// The hasher of a store's or a bundle's algorithm, wherever it comes from: the host's built-in
// OpenSSL hasher, or a reindexer plugin for an algorithm only a plugin provides. Without the
// second, a store reindexed to such an algorithm could be written but never read again: verify,
// export, import and seed all hash with the active generation's algorithm.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::host {

/// Makes the hasher of an algorithm the host has no built-in hasher for, or throws
/// sdk::Error(refused) saying why none is usable (no plugin provides it, the one that does is
/// broken or unsigned). The hasher owns whatever it needs (the plugin object).
using PluginHasherSource = std::function<std::unique_ptr<TreeHasher>(std::string_view algorithm)>;

/// Installs the source for the rest of the process (the CLI does, once it knows the plugin search
/// path); an empty function removes it. Thread-safe.
void set_plugin_hasher_source(PluginHasherSource source);

/// The built-in hasher of `algorithm` when the host has one (make_evp_hasher), otherwise the
/// installed plugin source's. Throws sdk::Error(refused) when neither has it, naming the built-in
/// algorithms and what to install.
std::unique_ptr<TreeHasher> hasher_for_algorithm(std::string_view algorithm);

}  // namespace stella::host
