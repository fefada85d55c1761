// Hashers from reindexer plugins for every verb (plugin_hasher_source.hpp).
#include "stella/host/reindex/plugin_hasher_source.hpp"

#include <mutex>
#include <optional>

#include "stella/host/reindex/algorithm_hashers.hpp"

namespace stella::host {
namespace {

/// A TreeHasher that keeps the plugin object it wraps alive for as long as it is used.
class PluginOwningHasher final : public TreeHasher {
 public:
  explicit PluginOwningHasher(OwnedHasher owned) : owned_(std::move(owned)) {}
  std::string algorithm_id() const override { return owned_.hasher().algorithm_id(); }
  std::size_t digest_size() const override { return owned_.hasher().digest_size(); }
  DigestBytes digest(ByteView bytes) const override { return owned_.hasher().digest(bytes); }
  DigestBytes hash_leaf(ByteView data) const override { return owned_.hasher().hash_leaf(data); }
  DigestBytes hash_node(ByteView left, ByteView right) const override {
    return owned_.hasher().hash_node(left, right);
  }

 private:
  OwnedHasher owned_;
};

struct DiscoveredOnce {
  std::mutex mutex;
  std::vector<std::string> plugin_dirs;
  std::vector<std::string> plugin_path_env;
  std::optional<PluginRegistry> registry;
};

}  // namespace

PluginHasherSource reindexer_plugin_hasher_source(std::vector<std::string> plugin_dirs,
                                                  std::vector<std::string> plugin_path_env) {
  auto shared = std::make_shared<DiscoveredOnce>();
  shared->plugin_dirs = std::move(plugin_dirs);
  shared->plugin_path_env = std::move(plugin_path_env);
  return [shared](std::string_view algorithm) -> std::unique_ptr<TreeHasher> {
    const std::lock_guard lock(shared->mutex);
    if (!shared->registry) {
      shared->registry.emplace(PluginRegistry::discover(
          plugin_search_path(shared->plugin_dirs, shared->plugin_path_env)));
    }
    return std::make_unique<PluginOwningHasher>(writing_hasher(*shared->registry, algorithm));
  };
}

}  // namespace stella::host
