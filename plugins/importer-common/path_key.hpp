// A file of a source by a short key instead of its path: the directory importer keeps one per
// file it walks and per line of checksums.sha256, the archive importer one per entry, so that
// files the list does not name, and files named or held twice, are found at the end with 16 bytes
// per file instead of a path.
#pragma once

#include <array>
#include <string_view>
#include <vector>

namespace stella_importer {

/// The first 16 bytes of the SHA-256 of a file's path: enough to tell a million paths apart.
using PathKey = std::array<unsigned char, 16>;
PathKey path_key(std::string_view path);

/// Sorts `keys` and gives each key that occurs more than once, once, in order.
std::vector<PathKey> repeated_keys(std::vector<PathKey>& keys);

}  // namespace stella_importer
