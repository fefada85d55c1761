// Built-in first, then the plugins (hasher_for_algorithm.hpp).
#include "stella/host/merkle/hasher_for_algorithm.hpp"

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

std::mutex& source_mutex() {
  static std::mutex mutex;
  return mutex;
}

PluginHasherSource& installed_source() {
  static PluginHasherSource source;
  return source;
}

std::string joined(const std::vector<std::string>& ids) {
  std::string text;
  for (const std::string& id : ids) {
    text += (text.empty() ? "" : ", ") + id;
  }
  return text;
}

}  // namespace

void set_plugin_hasher_source(PluginHasherSource source) {
  const std::lock_guard lock(source_mutex());
  installed_source() = std::move(source);
}

std::unique_ptr<TreeHasher> hasher_for_algorithm(std::string_view algorithm) {
  const std::vector<std::string> built_in = evp_hasher_algorithms();
  if (std::find(built_in.begin(), built_in.end(), algorithm) != built_in.end()) {
    // An OpenSSL without the digest (sm3 without its provider) is refused here with OpenSSL's
    // words: a plugin over the same OpenSSL would not have it either.
    return make_evp_hasher(algorithm);
  }
  PluginHasherSource source;
  {
    const std::lock_guard lock(source_mutex());
    source = installed_source();
  }
  if (!source) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "hash algorithm '" + std::string(algorithm) +
                         "' has no built-in hasher (built in: " + joined(built_in) +
                         ") and no reindexer plugin was looked for",
                     "run it through `stella`, which also looks for the reindexer plugin that "
                     "provides it (`stella plugins list`)");
  }
  return source(algorithm);
}

}  // namespace stella::host
