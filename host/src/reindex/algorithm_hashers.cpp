// Choosing the hasher of a generation's algorithm: plugins write, the built-in verifies.
#include "stella/host/reindex/algorithm_hashers.hpp"

#include <algorithm>
#include <set>

#include "stella/sdk/error.hpp"

namespace stella::host {

OwnedHasher::OwnedHasher(std::unique_ptr<sdk::Reindexer> plugin, std::unique_ptr<TreeHasher> hasher,
                         std::string source)
    : plugin_(std::move(plugin)), hasher_(std::move(hasher)), source_(std::move(source)) {}

std::vector<std::string> installed_reindex_algorithms(const PluginRegistry& registry) {
  std::set<std::string> algorithms;
  for (const PluginRecord& record : registry.plugins()) {
    const bool usable = record.manifest_valid && record.status != PluginStatus::broken &&
                        record.status != PluginStatus::shadowed;
    if (usable && record.manifest.kind == sdk::PluginKind::reindexer) {
      algorithms.insert(record.manifest.algorithms.begin(), record.manifest.algorithms.end());
    }
  }
  return {algorithms.begin(), algorithms.end()};
}

OwnedHasher writing_hasher(PluginRegistry& registry, std::string_view algorithm) {
  std::unique_ptr<sdk::Reindexer> plugin = registry.create_reindexer(algorithm);
  std::string source = "reindexer plugin";
  for (const PluginRecord& record : registry.plugins()) {
    const auto& provided = record.manifest.algorithms;
    if (record.status == PluginStatus::loaded &&
        std::find(provided.begin(), provided.end(), algorithm) != provided.end()) {
      source = "plugin " + record.manifest.id + " " + record.manifest.version;
    }
  }
  std::unique_ptr<TreeHasher> hasher = make_reindexer_hasher(*plugin);
  return OwnedHasher(std::move(plugin), std::move(hasher), std::move(source));
}

std::unique_ptr<TreeHasher> built_in_hasher(std::string_view algorithm) {
  const std::vector<std::string> built_in = evp_hasher_algorithms();
  if (std::find(built_in.begin(), built_in.end(), algorithm) == built_in.end()) {
    return nullptr;
  }
  try {
    return make_evp_hasher(algorithm);
  } catch (const sdk::Error&) {
    return nullptr;  // This OpenSSL lacks the digest (sm3 without its provider).
  }
}

OwnedHasher verifying_hasher(PluginRegistry& registry, std::string_view algorithm) {
  if (std::unique_ptr<TreeHasher> hasher = built_in_hasher(algorithm)) {
    return OwnedHasher(nullptr, std::move(hasher), "built-in OpenSSL");
  }
  // A plugin may still have it.
  return writing_hasher(registry, algorithm);
}

}  // namespace stella::host
