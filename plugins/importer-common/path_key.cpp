#include "path_key.hpp"

#include <algorithm>

#include "checksum_line.hpp"
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

void RepeatedPathNames::line(std::string_view text) {
  ++lines_;
  std::string why;
  const auto line = parse_checksum_line(text, why);
  if (!line) {
    return;
  }
  const PathKey key = path_key(line->path);
  if (std::binary_search(repeated_.begin(), repeated_.end(), key)) {
    RepeatedPath& found = found_[key];
    found.path = line->path;
    found.lines.push_back(lines_);
  }
}

}  // namespace stella_importer
