// Temporary file, fsync, rename.
#include "stella/host/evidence/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr mode_t kReportMode = 0644;

[[noreturn]] void write_failed(const std::filesystem::path& path, const std::string& step,
                               int error) {
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "cannot write " + path.string() + ": " + step + ": " + std::strerror(error),
                   "check that the directory exists and is writable, or choose another --output");
}

}  // namespace

std::optional<std::string> file_creation_problem(const std::filesystem::path& directory) {
  // A mkstemp(3) template: the six X are replaced by a unique name.
  std::string probe = (directory / ".stella-output-check-XXXXXX").string();
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) {
    return std::string(std::strerror(errno));
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return std::nullopt;
}

void require_writable_output(const std::filesystem::path& path) {
  const std::filesystem::path directory =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const auto refuse = [&path](const std::string& what, const std::string& hint) {
    throw sdk::Error(
        sdk::ErrorCode::invalid_input,
        "cannot write --output " + path.string() + ": " + what + "; nothing was checked or changed",
        hint);
  };
  if (path.empty()) {
    refuse("it is empty", "name the file to write, for example --output report.json");
  }
  std::error_code error;
  if (!std::filesystem::exists(directory, error)) {
    refuse("the directory " + directory.string() + " does not exist",
           "create the directory, or choose another --output");
  }
  if (!std::filesystem::is_directory(directory, error)) {
    refuse(directory.string() + " is not a directory", "choose another --output");
  }
  if (std::filesystem::is_directory(path, error)) {
    refuse("it is a directory",
           "name a file in it, for example --output " + (path / "report.json").string());
  }
  // The report is written beside the path and renamed over it: a device, FIFO, socket or symbolic
  // link there would be replaced by a regular file (as root, /dev/stdout or /dev/null itself).
  const std::filesystem::file_status status = std::filesystem::symlink_status(path, error);
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    const std::string kind = std::filesystem::is_symlink(status)          ? "a symbolic link"
                             : std::filesystem::is_character_file(status) ? "a character device"
                             : std::filesystem::is_block_file(status)     ? "a block device"
                             : std::filesystem::is_fifo(status)           ? "a FIFO"
                             : std::filesystem::is_socket(status)         ? "a socket"
                                                                          : "not a regular file";
    refuse("it is " + kind + ", which writing the report would replace by a regular file",
           std::filesystem::is_symlink(status)
               ? "name the file it points to, or another --output"
               : "name a regular file; without --output the report goes to standard output");
  }
  if (const auto problem = file_creation_problem(directory)) {
    refuse("no file can be created in " + directory.string() + " (" + *problem + ")",
           "choose an --output in a directory where you can create files");
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path directory =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string temporary = (directory / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    write_failed(path, "creating a temporary file in " + directory.string(), errno);
  }
  const auto fail = [&](const std::string& step) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    write_failed(path, step, error);
  };
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("writing");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, kReportMode) != 0) {
    fail("setting permissions");
  }
  if (::fsync(fd) != 0) {
    fail("flushing to disk");
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    write_failed(path, "renaming the temporary file into place", error);
  }
}

}  // namespace stella::host
