#include "bundles/hostile_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <boost/test/unit_test.hpp>

namespace stella::test {
namespace {

constexpr std::size_t kZeroChunk = std::size_t{1} << 20;

}  // namespace

void write_tar_gz(const fs::path& file, const std::vector<ArchiveEntrySpec>& entries) {
  // Names are UTF-8; libarchive converts them through the locale.
  ::setlocale(LC_CTYPE, "C.UTF-8");
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_gzip(a);
  BOOST_REQUIRE(archive_write_open_filename(a, file.c_str()) == ARCHIVE_OK);
  const std::string zeros(kZeroChunk, '\0');
  for (const ArchiveEntrySpec& spec : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname_utf8(entry, spec.path.c_str());
    archive_entry_set_perm(entry, 0644);
    std::uint64_t size = spec.zeros > 0 ? spec.zeros : spec.content.size();
    switch (spec.type) {
      case EntryType::file:
        archive_entry_set_filetype(entry, AE_IFREG);
        break;
      case EntryType::directory:
        archive_entry_set_filetype(entry, AE_IFDIR);
        size = 0;
        break;
      case EntryType::symlink:
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_symlink(entry, spec.target.c_str());
        size = 0;
        break;
      case EntryType::hardlink:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_hardlink(entry, spec.target.c_str());
        size = 0;
        break;
      case EntryType::char_device:
        archive_entry_set_filetype(entry, AE_IFCHR);
        archive_entry_set_rdev(entry, 0x0103);  // /dev/null's major 1, minor 3
        size = 0;
        break;
      case EntryType::fifo:
        archive_entry_set_filetype(entry, AE_IFIFO);
        size = 0;
        break;
    }
    archive_entry_set_size(entry, static_cast<la_int64_t>(size));
    BOOST_REQUIRE(archive_write_header(a, entry) == ARCHIVE_OK);
    if (spec.type == EntryType::file) {
      if (spec.zeros > 0) {
        for (std::uint64_t left = spec.zeros; left > 0;) {
          const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kZeroChunk));
          archive_write_data(a, zeros.data(), n);
          left -= n;
        }
      } else if (!spec.content.empty()) {
        archive_write_data(a, spec.content.data(), spec.content.size());
      }
    }
    archive_entry_free(entry);
  }
  BOOST_REQUIRE(archive_write_close(a) == ARCHIVE_OK);
  archive_write_free(a);
}

std::vector<ArchiveEntrySpec> entries_of_export(const fs::path& bundle) {
  std::vector<ArchiveEntrySpec> entries;
  for (const auto& [path, hex] : checksum_lines(bundle)) {
    entries.emplace_back(path, read_text(bundle / path));
  }
  entries.emplace_back("checksums.sha256", read_text(bundle / "checksums.sha256"));
  return entries;
}

}  // namespace stella::test
