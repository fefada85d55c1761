// Writing tar.gz archives entry by entry, including entries no honest export has (links, devices,
// '..' and absolute paths, gigabytes of zeros): the archive half of the bad-input corpus
// (hostile_corpus.hpp) that every storage importer must refuse.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace stella::host {

/// What an archive entry is. Zero is not a valid value.
enum class ArchiveEntryType {
  file = 1,
  directory = 2,
  symlink = 3,
  hardlink = 4,
  char_device = 5,
  fifo = 6
};

struct ArchiveEntrySpec {
  explicit ArchiveEntrySpec(std::string path_, std::string content_ = {},
                            ArchiveEntryType type_ = ArchiveEntryType::file,
                            std::string target_ = {}, std::uint64_t zeros_ = 0)
      : path(std::move(path_)),
        content(std::move(content_)),
        type(type_),
        target(std::move(target_)),
        zeros(zeros_) {}
  /// Written as given: nothing is normalised, so '..' and '/' paths stay what they are.
  std::string path;
  std::string content;
  ArchiveEntryType type = ArchiveEntryType::file;
  /// Link target for symlink and hardlink entries.
  std::string target;
  /// When non-zero: the content is this many zero bytes, streamed (a decompression bomb).
  std::uint64_t zeros = 0;
};

/// Writes `entries` in order as a pax tar.gz at `file`. Throws sdk::Error(internal) naming the
/// file when libarchive fails.
void write_hostile_tar_gz(const std::filesystem::path& file,
                          const std::vector<ArchiveEntrySpec>& entries);

/// Writes `entries` as a pax tar.gz at `file` that ends inside its last entry: that entry's header
/// declares `declared_size` bytes, but only its `content` follows the header, and no padding or
/// end-of-archive blocks come after it. The gzip stream itself is whole, so what a reader meets is
/// a tar whose header claims more than the archive holds (a lying header, or a copy cut short and
/// compressed again). Throws sdk::Error(internal) naming the file when libarchive fails.
void write_cut_short_tar_gz(const std::filesystem::path& file,
                            const std::vector<ArchiveEntrySpec>& entries,
                            std::uint64_t declared_size);

/// Writes `bytes` gzip-compressed at `file` as one gzip stream with nothing after it (a .tar.gz
/// when `bytes` is a tar). Throws sdk::Error(internal) naming the file when libarchive fails.
void write_gzip_file(const std::filesystem::path& file, std::string_view bytes);

/// The files of an export directory in the order of its checksums.sha256, then checksums.sha256
/// itself: the entries `stella evidence export --portable` would have written. Throws
/// sdk::Error(invalid_input) when the export has no readable checksums.sha256.
std::vector<ArchiveEntrySpec> entries_of_export(const std::filesystem::path& export_directory);

}  // namespace stella::host
