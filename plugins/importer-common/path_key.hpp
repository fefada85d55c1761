// A file of a source by a short key instead of its path: the directory importer keeps one per
// file it walks and per line of checksums.sha256, the archive importer one per entry, so that
// files the list does not name, and files named or held twice, are found at the end with 16 bytes
// per file instead of a path.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace stella_importer {

/// The first 16 bytes of the SHA-256 of a file's path: enough to tell a million paths apart.
using PathKey = std::array<unsigned char, 16>;
PathKey path_key(std::string_view path);

/// Sorts `keys` and gives each key that occurs more than once, once, in order.
std::vector<PathKey> repeated_keys(std::vector<PathKey>& keys);

/// A path found on more than one line, and the numbers (from 1) of those lines.
struct RepeatedPath {
  std::string path;
  std::vector<std::uint64_t> lines;
};

/// Names the paths behind repeated keys: given checksum lines ("<sha256>  <path>", a list's or a
/// spool's) one at a time in order, it keeps the paths whose keys are in `repeated` (sorted, as
/// repeated_keys gives them) and the lines they are on. Only read when some key repeats.
class RepeatedPathNames {
 public:
  explicit RepeatedPathNames(const std::vector<PathKey>& repeated) : repeated_(repeated) {}
  /// The next line; lines that are not in the checksum format are counted and skipped.
  void line(std::string_view text);
  /// What was found, by key.
  const std::map<PathKey, RepeatedPath>& found() const { return found_; }

 private:
  const std::vector<PathKey>& repeated_;
  std::uint64_t lines_ = 0;
  std::map<PathKey, RepeatedPath> found_;
};

}  // namespace stella_importer
