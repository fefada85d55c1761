// A portable export: one gzip-compressed pax tar archive that is byte-identical for the same
// store. Determinism comes from four choices: entries in the order the export adds them (Merkle
// order), fixed entry metadata (mode 0644, owner 0:0 without user or group names, one fixed
// modification time, no access or change times), pax headers only where a name needs them, and a
// gzip header without a time stamp or a file name (libarchive's "gzip:!timestamp"; the
// uncompressed name is never stored when writing through a callback).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <locale.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bundles/bundle_file_writer.hpp"
#include "bundles/sha256_stream.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr mode_t kEntryPermissions = 0644;
constexpr mode_t kArchiveFileMode = 0644;
/// zlib's default level: the same trade of size for speed `pg_dump -Fc` makes.
constexpr const char* kGzipLevel = "6";
constexpr std::size_t kCopyChunk = std::size_t{1} << 16;

/// Makes this thread's character conversions UTF-8 while it lives. libarchive converts names
/// through the thread's locale when it writes pax headers; in the "C" locale a name that is not
/// ASCII cannot be converted (libarchive 3.6 then crashes), while canonical paths are UTF-8.
class Utf8ConversionScope {
 public:
  Utf8ConversionScope() : utf8_(newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0))) {
    if (utf8_ != static_cast<locale_t>(0)) {
      previous_ = uselocale(utf8_);
    }
  }
  ~Utf8ConversionScope() {
    if (utf8_ != static_cast<locale_t>(0)) {
      uselocale(previous_);
      freelocale(utf8_);
    }
  }
  Utf8ConversionScope(const Utf8ConversionScope&) = delete;
  Utf8ConversionScope& operator=(const Utf8ConversionScope&) = delete;

 private:
  locale_t utf8_;
  locale_t previous_ = static_cast<locale_t>(0);
};

class TarGzBundleWriter final : public BundleFileWriter {
 public:
  TarGzBundleWriter(std::filesystem::path file, std::int64_t mtime)
      : file_(std::move(file)), mtime_(mtime) {
    fd_ = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kArchiveFileMode);
    if (fd_ < 0) {
      fail("create", std::strerror(errno));
    }
    archive_ = archive_write_new();
    if (archive_ == nullptr) {
      fail("archive_write_new", "out of memory");
    }
    check(archive_write_set_format_pax_restricted(archive_), "choosing the pax format");
    check(archive_write_add_filter_gzip(archive_), "adding the gzip filter");
    // A null value unsets the option: no time stamp in the gzip header.
    check(archive_write_set_filter_option(archive_, "gzip", "timestamp", nullptr),
          "turning off the gzip time stamp");
    check(archive_write_set_filter_option(archive_, "gzip", "compression-level", kGzipLevel),
          "setting the gzip level");
    // The gzip stream ends the file: libarchive would pad it with zeros to a whole 10 KiB block,
    // which `gzip -l` reads as a damaged trailer.
    check(archive_write_set_bytes_in_last_block(archive_, 1), "ending the archive at its data");
    check(archive_write_open(archive_, this, nullptr, &TarGzBundleWriter::on_write, nullptr),
          "opening the archive");
  }

  ~TarGzBundleWriter() override {
    if (archive_ != nullptr) {
      archive_write_free(archive_);
    }
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  std::string output_digest() const override { return digest_; }

 protected:
  void write_file(std::string_view path, std::string_view content) override {
    begin_entry(path, content.size());
    write_data(path, content);
  }

  void write_file_from(std::string_view path, std::FILE* source, std::uint64_t size) override {
    begin_entry(path, size);
    std::string chunk(kCopyChunk, '\0');
    std::uint64_t left = size;
    while (left > 0) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, kCopyChunk));
      if (std::fread(chunk.data(), 1, want, source) != want) {
        fail("reading the checksum spool", std::strerror(errno));
      }
      write_data(path, std::string_view(chunk.data(), want));
      left -= want;
    }
  }

  void complete() override {
    check(archive_write_close(archive_), "finishing the archive");
    archive_write_free(archive_);
    archive_ = nullptr;
    if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
      fd_ = -1;
      fail("flushing to disk", std::strerror(errno));
    }
    fd_ = -1;
    digest_ = "sha256:" + output_hash_.finish_hex();
  }

 private:
  static la_ssize_t on_write(archive*, void* self, const void* buffer, size_t length) {
    auto* writer = static_cast<TarGzBundleWriter*>(self);
    const auto* bytes = static_cast<const char*>(buffer);
    std::size_t done = 0;
    while (done < length) {
      const ssize_t wrote = ::write(writer->fd_, bytes + done, length - done);
      if (wrote < 0) {
        if (errno == EINTR) {
          continue;
        }
        return -1;
      }
      done += static_cast<std::size_t>(wrote);
    }
    writer->output_hash_.update(std::string_view(bytes, length));
    return static_cast<la_ssize_t>(length);
  }

  void begin_entry(std::string_view path, std::uint64_t size) {
    const Utf8ConversionScope utf8;
    archive_entry* entry = archive_entry_new();
    const std::string name(path);
    archive_entry_set_pathname_utf8(entry, name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, kEntryPermissions);
    archive_entry_set_size(entry, static_cast<la_int64_t>(size));
    archive_entry_set_mtime(entry, static_cast<time_t>(mtime_), 0);
    archive_entry_set_uid(entry, 0);
    archive_entry_set_gid(entry, 0);
    const int status = archive_write_header(archive_, entry);
    archive_entry_free(entry);
    check(status, ("writing the header of " + name).c_str());
  }

  void write_data(std::string_view path, std::string_view content) {
    std::size_t done = 0;
    while (done < content.size()) {
      const la_ssize_t wrote =
          archive_write_data(archive_, content.data() + done, content.size() - done);
      if (wrote < 0) {
        check(ARCHIVE_FATAL, ("writing " + std::string(path)).c_str());
      }
      done += static_cast<std::size_t>(wrote);
    }
  }

  void check(int status, const char* what) {
    if (status != ARCHIVE_OK) {
      const char* reason = archive_ != nullptr ? archive_error_string(archive_) : nullptr;
      fail(what, reason != nullptr ? reason : std::strerror(errno));
    }
  }

  [[noreturn]] void fail(const std::string& what, const std::string& reason) const {
    throw sdk::Error(sdk::ErrorCode::internal, file_.string() + ": " + what + ": " + reason,
                     "check the free space and permissions of the --output location; nothing "
                     "was left behind");
  }

  std::filesystem::path file_;
  std::int64_t mtime_;
  int fd_ = -1;
  archive* archive_ = nullptr;
  Sha256Stream output_hash_;
  std::string digest_;
};

}  // namespace

std::unique_ptr<BundleFileWriter> make_tar_gz_writer(const std::filesystem::path& file,
                                                     std::int64_t mtime_unix_seconds) {
  return std::make_unique<TarGzBundleWriter>(file, mtime_unix_seconds);
}

}  // namespace stella::host
