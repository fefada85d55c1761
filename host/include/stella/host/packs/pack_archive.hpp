// The pack archive: one deterministic tar.gz (libarchive) holding pack-manifest.json,
// pack-manifest.sig and plugins/<id>/<file>. Reading refuses anything that could write outside
// its folder or be something other than a plain file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

namespace stella::host {

/// Largest pack read (the sum of its files' sizes); larger archives are refused as suspicious.
inline constexpr std::size_t kMaxPackBytes = std::size_t{1024} * 1024 * 1024;

/// A pack's files, in memory, by archive path ("pack-manifest.json", "plugins/<id>/<file>").
struct PackContents {
  std::map<std::string, std::string> files;
};

/// Writes `contents` as a tar.gz: entries sorted by path, plugin folders as directory entries,
/// fixed owner (0/0), mode (0644 files, 0755 directories and *.so) and time (0), gzip without a
/// timestamp, so the same contents always give the same bytes. Writes to a temporary file beside
/// `output` and renames it into place. Throws sdk::Error(invalid_input/internal) naming the file.
void write_pack_archive(const std::filesystem::path& output, const PackContents& contents);

/// Reads a pack. Throws sdk::Error(invalid_input) naming the archive and the entry when it is not
/// a gzip'd tar, is truncated, holds an absolute path, a '..' component, a link, a device or any
/// other non-regular entry, a path outside the pack layout, a duplicate, or more than
/// kMaxPackBytes.
PackContents read_pack_archive(const std::filesystem::path& archive);

}  // namespace stella::host
