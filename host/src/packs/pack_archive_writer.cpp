// Deterministic pack archives: same contents, same bytes (so a pack can be rebuilt and compared).
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <memory>
#include <set>

#include "stella/host/packs/pack_archive.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr mode_t kFileMode = 0644;
constexpr mode_t kExecutableMode = 0755;
constexpr mode_t kDirectoryMode = 0755;
constexpr const char* kLibrarySuffix = ".so";

struct ArchiveDeleter {
  void operator()(archive* a) const noexcept { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const noexcept { archive_entry_free(e); }
};

[[noreturn]] void fail(archive* a, const std::filesystem::path& output, const std::string& what) {
  throw sdk::Error(sdk::ErrorCode::internal,
                   output.string() + ": cannot write the pack (" + what +
                       "): " + (archive_error_string(a) ? archive_error_string(a) : "unknown"),
                   "check free space and that the output directory is writable");
}

void write_entry(archive* a, const std::filesystem::path& output, const std::string& path,
                 const std::string* data) {
  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), path.c_str());
  const bool is_library = path.size() > std::string(kLibrarySuffix).size() &&
                          path.compare(path.size() - std::string(kLibrarySuffix).size(),
                                       std::string::npos, kLibrarySuffix) == 0;
  if (data == nullptr) {
    archive_entry_set_filetype(entry.get(), AE_IFDIR);
    archive_entry_set_perm(entry.get(), kDirectoryMode);
    archive_entry_set_size(entry.get(), 0);
  } else {
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), is_library ? kExecutableMode : kFileMode);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data->size()));
  }
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  archive_entry_set_mtime(entry.get(), 0, 0);
  if (archive_write_header(a, entry.get()) != ARCHIVE_OK) {
    fail(a, output, "header of " + path);
  }
  if (data != nullptr && !data->empty() &&
      archive_write_data(a, data->data(), data->size()) != static_cast<la_ssize_t>(data->size())) {
    fail(a, output, "data of " + path);
  }
}

}  // namespace

void write_pack_archive(const std::filesystem::path& output, const PackContents& contents) {
  const std::filesystem::path temporary =
      output.string() + ".partial-" + std::to_string(::getpid());
  std::unique_ptr<archive, ArchiveDeleter> a(archive_write_new());
  if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
      // No time in the gzip header: the archive's bytes depend on its contents only.
      archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr) != ARCHIVE_OK ||
      // No zero padding after the gzip stream (`gzip -l` reads it as a damaged trailer).
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
      archive_write_open_filename(a.get(), temporary.c_str()) != ARCHIVE_OK) {
    fail(a.get(), temporary, "open");
  }
  // Directories first in path order, each before its files (std::map keeps paths sorted).
  std::set<std::string> directories_written;
  for (const auto& [path, data] : contents.files) {
    std::string::size_type slash = 0;
    while ((slash = path.find('/', slash)) != std::string::npos) {
      const std::string directory = path.substr(0, slash + 1);
      if (directories_written.insert(directory).second) {
        write_entry(a.get(), temporary, directory, nullptr);
      }
      ++slash;
    }
    write_entry(a.get(), temporary, path, &data);
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    fail(a.get(), temporary, "close");
  }
  std::error_code error;
  std::filesystem::rename(temporary, output, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw sdk::Error(
        sdk::ErrorCode::internal,
        output.string() + ": cannot move the finished pack into place: " + error.message(),
        "check that the output directory is writable");
  }
}

}  // namespace stella::host
