#include "path_key.hpp"

#include <algorithm>

#include "sha256_hasher.hpp"

namespace stella_importer {

PathKey path_key(std::string_view path) {
  const Sha256Digest digest = sha256_digest(path);
  PathKey key{};
  std::copy_n(digest.begin(), key.size(), key.begin());
  return key;
}

std::vector<PathKey> repeated_keys(std::vector<PathKey>& keys) {
  std::sort(keys.begin(), keys.end());
  std::vector<PathKey> repeated;
  for (auto at = std::adjacent_find(keys.begin(), keys.end()); at != keys.end();
       at = std::adjacent_find(at, keys.end())) {
    repeated.push_back(*at);
    at = std::upper_bound(at, keys.end(), *at);
  }
  return repeated;
}

}  // namespace stella_importer
