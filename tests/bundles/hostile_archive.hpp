// Building tar.gz archives entry by entry — including entries no honest export has (links,
// devices, '..' paths, gigabytes of zeros) — to feed the importers what an attacker would.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bundles/bundle_test_support.hpp"

namespace stella::test {

enum class EntryType {
  file = 1,
  directory = 2,
  symlink = 3,
  hardlink = 4,
  char_device = 5,
  fifo = 6
};

struct ArchiveEntrySpec {
  explicit ArchiveEntrySpec(std::string path_, std::string content_ = {},
                            EntryType type_ = EntryType::file, std::string target_ = {},
                            std::uint64_t zeros_ = 0)
      : path(std::move(path_)),
        content(std::move(content_)),
        type(type_),
        target(std::move(target_)),
        zeros(zeros_) {}
  std::string path;
  std::string content;
  EntryType type = EntryType::file;
  /// Link target for symlink and hardlink entries.
  std::string target;
  /// When non-zero: the content is this many zero bytes, streamed (a decompression bomb).
  std::uint64_t zeros = 0;
};

void write_tar_gz(const fs::path& file, const std::vector<ArchiveEntrySpec>& entries);

/// The files of an export directory in the order of its checksums.sha256, then checksums.sha256
/// itself: the entries `stella evidence export --portable` would have written.
std::vector<ArchiveEntrySpec> entries_of_export(const fs::path& bundle);

}  // namespace stella::test
