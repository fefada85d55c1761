// The tar.gz writer of the bad-input corpus: libarchive, entry by entry, paths exactly as given.
#include "stella/host/conformance/hostile_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <clocale>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Zeros are streamed in chunks of this size, so a bomb of gigabytes needs no memory.
constexpr std::size_t kZeroChunk = std::size_t{1} << 20;
/// Permission bits of every entry: ordinary files, as an export writes them.
constexpr int kEntryMode = 0644;
/// /dev/null's device number (major 1, minor 3) for the character-device entry.
constexpr dev_t kNullDevice = 0x0103;
/// "<64 hex digits>  <path>": the path starts after the digest and two spaces.
constexpr std::size_t kChecksumPathOffset = 66;

struct ArchiveWriterDeleter {
  void operator()(archive* a) const noexcept { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const noexcept { archive_entry_free(e); }
};

[[noreturn]] void fail(const std::filesystem::path& file, archive* a, const std::string& what) {
  throw sdk::Error(sdk::ErrorCode::internal,
                   file.string() + ": writing the archive failed while " + what + ": " +
                       (archive_error_string(a) ? archive_error_string(a) : "unknown error"),
                   "check free space and permissions of " + file.parent_path().string());
}

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, file.string() + ": cannot be read",
                     "point at a directory written by `stella evidence export`");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void set_type(archive_entry* entry, const ArchiveEntrySpec& spec) {
  switch (spec.type) {
    case ArchiveEntryType::file:
      archive_entry_set_filetype(entry, AE_IFREG);
      break;
    case ArchiveEntryType::directory:
      archive_entry_set_filetype(entry, AE_IFDIR);
      break;
    case ArchiveEntryType::symlink:
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, spec.target.c_str());
      break;
    case ArchiveEntryType::hardlink:
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_hardlink(entry, spec.target.c_str());
      break;
    case ArchiveEntryType::char_device:
      archive_entry_set_filetype(entry, AE_IFCHR);
      archive_entry_set_rdev(entry, kNullDevice);
      break;
    case ArchiveEntryType::fifo:
      archive_entry_set_filetype(entry, AE_IFIFO);
      break;
  }
}

/// Writes one entry: its header (declaring `declared_size` when given, else the content's size)
/// and its content.
void write_entry(const std::filesystem::path& file, archive* a, const ArchiveEntrySpec& spec,
                 std::optional<std::uint64_t> declared_size = std::nullopt) {
  const std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_pathname_utf8(entry.get(), spec.path.c_str());
  archive_entry_set_perm(entry.get(), kEntryMode);
  set_type(entry.get(), spec);
  const bool has_data = spec.type == ArchiveEntryType::file;
  const std::uint64_t size = !has_data        ? 0
                             : declared_size  ? *declared_size
                             : spec.zeros > 0 ? spec.zeros
                                              : spec.content.size();
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  if (archive_write_header(a, entry.get()) != ARCHIVE_OK) {
    fail(file, a, "writing the header of '" + spec.path + "'");
  }
  if (!has_data) {
    return;
  }
  if (spec.zeros > 0) {
    const std::string zeros(kZeroChunk, '\0');
    for (std::uint64_t left = spec.zeros; left > 0;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kZeroChunk));
      if (archive_write_data(a, zeros.data(), n) < 0) {
        fail(file, a, "writing '" + spec.path + "'");
      }
      left -= n;
    }
  } else if (!spec.content.empty() &&
             archive_write_data(a, spec.content.data(), spec.content.size()) < 0) {
    fail(file, a, "writing '" + spec.path + "'");
  }
}

/// libarchive's output callback for a tar held in memory.
la_ssize_t append_to_string(archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

}  // namespace

void write_hostile_tar_gz(const std::filesystem::path& file,
                          const std::vector<ArchiveEntrySpec>& entries) {
  // Names are UTF-8; libarchive converts them through the locale.
  std::setlocale(LC_CTYPE, "C.UTF-8");
  const std::unique_ptr<archive, ArchiveWriterDeleter> a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());
  archive_write_add_filter_gzip(a.get());
  if (archive_write_open_filename(a.get(), file.c_str()) != ARCHIVE_OK) {
    fail(file, a.get(), "opening it");
  }
  for (const ArchiveEntrySpec& spec : entries) {
    write_entry(file, a.get(), spec);
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    fail(file, a.get(), "closing it");
  }
}

void write_cut_short_tar_gz(const std::filesystem::path& file,
                            const std::vector<ArchiveEntrySpec>& entries,
                            std::uint64_t declared_size) {
  if (entries.empty()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     file.string() + ": a cut-short archive needs an entry to cut short");
  }
  std::setlocale(LC_CTYPE, "C.UTF-8");
  std::string tar;
  {
    const std::unique_ptr<archive, ArchiveWriterDeleter> a(archive_write_new());
    archive_write_set_format_pax_restricted(a.get());
    // No blocking: every byte goes out as it is written, so what failing the archive below leaves
    // is exactly the bytes written before it.
    archive_write_set_bytes_per_block(a.get(), 0);
    if (archive_write_open(a.get(), &tar, nullptr, append_to_string, nullptr) != ARCHIVE_OK) {
      fail(file, a.get(), "opening it in memory");
    }
    for (std::size_t i = 0; i + 1 < entries.size(); ++i) {
      write_entry(file, a.get(), entries[i]);
    }
    write_entry(file, a.get(), entries.back(), declared_size);
    // Marked failed, the archive is freed without being closed: no padding of the last entry to
    // its declared size, no end-of-archive blocks.
    archive_write_fail(a.get());
  }
  write_gzip_file(file, tar);
}

void write_gzip_file(const std::filesystem::path& file, std::string_view bytes) {
  const std::unique_ptr<archive, ArchiveWriterDeleter> a(archive_write_new());
  archive_write_add_filter_gzip(a.get());
  archive_write_set_format_raw(a.get());
  // One gzip stream with nothing after it (tar's 10240-byte blocking would pad the output).
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open_filename(a.get(), file.c_str()) != ARCHIVE_OK) {
    fail(file, a.get(), "opening it");
  }
  const std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK) {
    fail(file, a.get(), "starting its gzip stream");
  }
  if (!bytes.empty()) {
    const la_ssize_t written = archive_write_data(a.get(), bytes.data(), bytes.size());
    if (written < 0 || static_cast<std::size_t>(written) != bytes.size()) {
      fail(file, a.get(), "compressing its bytes");
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    fail(file, a.get(), "closing it");
  }
}

std::vector<ArchiveEntrySpec> entries_of_export(const std::filesystem::path& export_directory) {
  std::vector<ArchiveEntrySpec> entries;
  const std::string checksums = file_text(export_directory / "checksums.sha256");
  std::istringstream lines(checksums);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() <= kChecksumPathOffset) {
      continue;
    }
    const std::string path = line.substr(kChecksumPathOffset);
    entries.emplace_back(path, file_text(export_directory / path));
  }
  entries.emplace_back("checksums.sha256", checksums);
  return entries;
}

}  // namespace stella::host
