#include "untrusted_sources.hpp"

#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <system_error>

namespace stella::fuzz {
namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kChecksumOffset = 148;
constexpr std::size_t kChecksumBytes = 8;
constexpr std::size_t kSizeOffset = 124;
constexpr std::size_t kSizeBytes = 12;

bool all_zero(std::string_view block) {
  return block.find_first_not_of('\0') == std::string_view::npos;
}

// The size field as octal digits (leading spaces allowed, ended by NUL or space); nullopt for the
// base-256 form or anything else, where the walk stops.
std::optional<std::uint64_t> octal_size(std::string_view field) {
  std::uint64_t size = 0;
  std::size_t i = 0;
  while (i < field.size() && field[i] == ' ') {
    ++i;
  }
  bool digits = false;
  for (; i < field.size() && field[i] >= '0' && field[i] <= '7'; ++i) {
    size = size * 8 + static_cast<std::uint64_t>(field[i] - '0');
    digits = true;
  }
  if (!digits || (i < field.size() && field[i] != '\0' && field[i] != ' ')) {
    return std::nullopt;
  }
  return size;
}

void fix_checksum(std::string& tar, std::size_t header) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    const bool in_field = i >= kChecksumOffset && i < kChecksumOffset + kChecksumBytes;
    sum += in_field ? static_cast<std::uint32_t>(' ') : static_cast<unsigned char>(tar[header + i]);
  }
  // Six octal digits, NUL, space: how tar writes it.
  for (std::size_t i = 0; i < 6; ++i) {
    tar[header + kChecksumOffset + 5 - i] = static_cast<char>('0' + (sum & 7U));
    sum >>= 3;
  }
  tar[header + kChecksumOffset + 6] = '\0';
  tar[header + kChecksumOffset + 7] = ' ';
}

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive*)>;

}  // namespace

std::string with_header_checksums_fixed(std::string_view tar) {
  std::string fixed(tar);
  std::size_t offset = 0;
  while (offset + kBlock <= fixed.size()) {
    const std::string_view block(fixed.data() + offset, kBlock);
    if (all_zero(block)) {
      break;
    }
    const auto size = octal_size(block.substr(kSizeOffset, kSizeBytes));
    fix_checksum(fixed, offset);
    if (!size || *size > fixed.size()) {
      break;
    }
    offset += kBlock + (*size + kBlock - 1) / kBlock * kBlock;
  }
  return fixed;
}

void extract_tar(std::string_view tar, const std::filesystem::path& into) {
  ArchivePtr reader(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(reader.get());
  if (archive_read_open_memory(reader.get(), tar.data(), tar.size()) != ARCHIVE_OK) {
    return;  // Not a tar at all (an empty input among them): the directory stays empty.
  }
  ArchivePtr writer(archive_write_disk_new(), archive_write_free);
  archive_write_disk_set_options(writer.get(), ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                                   ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                   ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
  // archive_write_disk resolves relative names against the working directory.
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(into);
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader.get(), &entry) == ARCHIVE_OK) {
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFCHR || type == AE_IFBLK) {
      continue;
    }
    // A sparse entry becomes a file of any size with no bytes behind it; the importer would read
    // it in full, as it must read any real file up to the limits, so it says nothing about the
    // importer and would only trip the fuzzer's memory limit.
    if (archive_entry_sparse_count(entry) > 0) {
      continue;
    }
    if (archive_write_header(writer.get(), entry) < ARCHIVE_WARN) {
      continue;
    }
    const void* buffer = nullptr;
    std::size_t length = 0;
    la_int64_t offset = 0;
    while (archive_read_data_block(reader.get(), &buffer, &length, &offset) == ARCHIVE_OK) {
      if (archive_write_data_block(writer.get(), buffer, length, offset) < ARCHIVE_WARN) {
        break;
      }
    }
    archive_write_finish_entry(writer.get());
  }
  archive_write_close(writer.get());
  std::filesystem::current_path(previous);
}

std::filesystem::path fresh_scratch_directory(std::string_view name) {
  // The process's folder goes when the process exits normally (the corpus test); a crashing fuzz
  // run leaves it for whoever looks into the crash.
  struct ProcessScratch {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("stella-fuzz-" + std::to_string(::getpid()));
    ~ProcessScratch() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const ProcessScratch scratch;
  const std::filesystem::path directory = scratch.path / std::string(name);
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  return directory;
}

}  // namespace stella::fuzz
