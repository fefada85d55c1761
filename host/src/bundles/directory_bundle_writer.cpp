// An export written as a directory tree: each file created exclusively (never over another file),
// parent directories made as needed, and the whole file system flushed once at the end (one
// syncfs instead of a million fsyncs).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bundles/bundle_file_writer.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr mode_t kFileMode = 0644;
constexpr std::size_t kCopyChunk = std::size_t{1} << 16;

[[noreturn]] void write_failed(const std::filesystem::path& file, const char* what) {
  throw sdk::Error(sdk::ErrorCode::internal,
                   file.string() + ": " + what + " failed: " + std::strerror(errno),
                   "check the free space and permissions of the --output location; nothing was "
                   "left behind");
}

class DirectoryBundleWriter final : public BundleFileWriter {
 public:
  explicit DirectoryBundleWriter(std::filesystem::path root) : root_(std::move(root)) {}

 protected:
  void write_file(std::string_view path, std::string_view content) override {
    const int fd = create(path);
    std::size_t done = 0;
    while (done < content.size()) {
      const ssize_t wrote = ::write(fd, content.data() + done, content.size() - done);
      if (wrote < 0) {
        if (errno == EINTR) {
          continue;
        }
        const int error = errno;
        ::close(fd);
        errno = error;
        write_failed(root_ / path, "write");
      }
      done += static_cast<std::size_t>(wrote);
    }
    if (::close(fd) != 0) {
      write_failed(root_ / path, "close");
    }
  }

  void write_file_from(std::string_view path, std::FILE* source, std::uint64_t size) override {
    std::string chunk(kCopyChunk, '\0');
    const int fd = create(path);
    std::uint64_t left = size;
    while (left > 0) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, kCopyChunk));
      const std::size_t got = std::fread(chunk.data(), 1, want, source);
      if (got != want) {
        ::close(fd);
        write_failed(root_ / path, "reading the checksum spool");
      }
      if (::write(fd, chunk.data(), got) != static_cast<ssize_t>(got)) {
        const int error = errno;
        ::close(fd);
        errno = error;
        write_failed(root_ / path, "write");
      }
      left -= got;
    }
    if (::close(fd) != 0) {
      write_failed(root_ / path, "close");
    }
  }

  void complete() override {
    const int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || ::syncfs(fd) != 0) {
      write_failed(root_, "flushing to disk");
    }
    ::close(fd);
  }

 private:
  int create(std::string_view path) {
    const std::filesystem::path file = root_ / path;
    const std::filesystem::path parent = file.parent_path();
    if (parent != last_parent_) {
      std::error_code error;
      std::filesystem::create_directories(parent, error);
      if (error) {
        throw sdk::Error(sdk::ErrorCode::internal,
                         parent.string() + ": cannot create the directory: " + error.message(),
                         "check the permissions of the --output location");
      }
      last_parent_ = parent;
    }
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
    if (fd < 0) {
      write_failed(file, "create");
    }
    return fd;
  }

  std::filesystem::path root_;
  std::filesystem::path last_parent_;
};

}  // namespace

std::unique_ptr<BundleFileWriter> make_directory_writer(const std::filesystem::path& root) {
  return std::make_unique<DirectoryBundleWriter>(root);
}

}  // namespace stella::host
