// Hashers for the algorithm of a digest generation: the reindexer plugin that writes a new
// generation, and an independent hasher that verifies one.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// A TreeHasher together with the plugin object it may wrap, so the two live and die together.
///
/// Ownership: owns both. Thread-safety: the hasher's methods may be called concurrently.
class OwnedHasher {
 public:
  OwnedHasher(std::unique_ptr<sdk::Reindexer> plugin, std::unique_ptr<TreeHasher> hasher,
              std::string source);
  const TreeHasher& hasher() const { return *hasher_; }
  /// Where the hasher comes from, for reports: "plugin hash-sha512 1.0.0" or "built-in OpenSSL".
  const std::string& source() const { return source_; }
  /// The plugin object, or nullptr for a built-in hasher.
  const sdk::Reindexer* plugin() const { return plugin_.get(); }

 private:
  std::unique_ptr<sdk::Reindexer> plugin_;
  std::unique_ptr<TreeHasher> hasher_;
  std::string source_;
};

/// The algorithms the usable reindexer plugins on the search path provide (from their manifests;
/// nothing is loaded), sorted.
std::vector<std::string> installed_reindex_algorithms(const PluginRegistry& registry);

/// The hasher that writes a generation of `algorithm`: the reindexer plugin providing it (loaded
/// now). Throws sdk::Error(refused) listing the installed algorithms when no plugin provides it.
OwnedHasher writing_hasher(PluginRegistry& registry, std::string_view algorithm);

/// The host's built-in OpenSSL hasher of `algorithm`, or nullptr when it has none (an algorithm
/// only a plugin provides, or one this OpenSSL lacks, as sm3 without its provider).
std::unique_ptr<TreeHasher> built_in_hasher(std::string_view algorithm);

/// The hasher that verifies a generation of `algorithm`: the host's built-in OpenSSL hasher when
/// it knows the algorithm (an implementation independent of the plugin that wrote the digests),
/// otherwise the reindexer plugin providing it. Throws sdk::Error(refused) when neither exists.
OwnedHasher verifying_hasher(PluginRegistry& registry, std::string_view algorithm);

}  // namespace stella::host
