#include "secure_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include "safe_path.hpp"
#include "stella/sdk/error.hpp"

namespace stella_importer {
namespace {

namespace sdk = stella::sdk;

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
/// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
constexpr int kFileFlags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
constexpr std::size_t kReadChunk = std::size_t{1} << 20;

std::string join(const std::string& prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : prefix + "/" + std::string(name);
}

/// Opens `path` below `root_fd` in one call, refusing a symbolic link anywhere on the way (and
/// ".." or an absolute path): the kernel walks the path, instead of a system call per segment.
/// -1 with errno as openat2(2) sets it; ENOSYS on a kernel before 5.6.
int open_beneath(int root_fd, const std::string& path, int flags) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
}

std::string kind_of(mode_t mode) {
  if (S_ISLNK(mode)) {
    return "a symbolic link";
  }
  if (S_ISCHR(mode)) {
    return "a character device";
  }
  if (S_ISBLK(mode)) {
    return "a block device";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  return "not a regular file or directory";
}

/// Reads `out.size()` bytes from the start of `fd` only as far as the page cache holds them:
/// the bytes read (0 when the first of them is not cached, or the file system cannot tell).
std::size_t read_without_waiting(int fd, std::string& out) {
  iovec vector{out.data(), out.size()};
  const ssize_t got = ::preadv2(fd, &vector, 1, 0, RWF_NOWAIT);
  return got < 0 ? 0 : static_cast<std::size_t>(got);
}

[[noreturn]] void io_failed(const std::string& what, int error) {
  throw sdk::Error(sdk::ErrorCode::internal, what + ": " + std::strerror(error),
                   "check that the source is readable");
}

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

}  // namespace

SecureTree::SecureTree(const std::string& root, ImportBudget& budget)
    : root_(root), budget_(budget) {
  root_fd_ = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     root + ": cannot open as a directory: " + std::strerror(errno),
                     "name the directory that holds the source");
  }
}

SecureTree::~SecureTree() {
  close_open_directories(0);
  ::close(root_fd_);
}

void SecureTree::refuse(const std::string& path, const std::string& what) const {
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   budget_.source() + ": " + printable(path) + " is " + what +
                       "; a source may hold only regular files and directories",
                   "nothing was imported; remove it, or recreate the source with `stella "
                   "evidence export`");
}

void SecureTree::walk(
    const std::function<void(const std::string& path, std::uint64_t size)>& on_file,
    EntryCheck check) {
  const int fd = ::dup(root_fd_);
  if (fd < 0) {
    io_failed(root_ + ": dup", errno);
  }
  walk_directory(fd, "", 0, check, on_file);
}

void SecureTree::walk_directory(
    int fd, const std::string& prefix, int depth, EntryCheck check,
    const std::function<void(const std::string&, std::uint64_t)>& on_file) {
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(fd));
  if (!dir) {
    const int error = errno;
    ::close(fd);
    io_failed(root_ + "/" + prefix + ": opendir", error);
  }
  // (name, type): the type as the directory gives it, which spares a stat per entry; only the
  // files read are stat()ed, through their own descriptor (read() checks links and sizes there).
  std::vector<std::pair<std::string, unsigned char>> names;
  errno = 0;
  while (const dirent* entry = ::readdir(dir.get())) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") {
      names.emplace_back(name, entry->d_type);
    }
  }
  std::sort(names.begin(), names.end());
  for (const auto& [name, type] : names) {
    const std::string path = join(prefix, name);
    budget_.count_entry(path);
    if (const auto reason = unsafe_path_reason(path)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       budget_.source() + ": unsafe name " + printable(path) + ": " + *reason,
                       "nothing was imported; rename or remove it");
    }
    // DT_UNKNOWN: the file system does not say, and fstatat below asks.
    if (type != DT_UNKNOWN && type != DT_DIR && type != DT_REG) {
      refuse(path, kind_of(DTTOIF(type)));
    }
    if (type == DT_REG && check == EntryCheck::by_type) {
      on_file(path, 0);
      continue;
    }
    struct stat status {};
    if (type == DT_DIR) {
      status.st_mode = S_IFDIR;
    } else if (::fstatat(::dirfd(dir.get()), name.c_str(), &status, AT_SYMLINK_NOFOLLOW) != 0) {
      io_failed(root_ + "/" + path + ": stat", errno);
    }
    if (S_ISDIR(status.st_mode)) {
      if (depth + 1 >= kMaxTreeDepth) {
        refuse(path, "nested more than " + std::to_string(kMaxTreeDepth) + " directories deep");
      }
      const int child = ::openat(::dirfd(dir.get()), name.c_str(), kDirectoryFlags);
      if (child < 0) {
        io_failed(root_ + "/" + path + ": open", errno);
      }
      walk_directory(child, path, depth + 1, check, on_file);
    } else if (S_ISREG(status.st_mode)) {
      if (status.st_nlink > 1) {
        refuse(path, "a hard link (" + std::to_string(status.st_nlink) + " names share the file)");
      }
      on_file(path, static_cast<std::uint64_t>(status.st_size));
    } else {
      refuse(path, kind_of(status.st_mode));
    }
  }
}

void SecureTree::close_open_directories(std::size_t keep) {
  while (open_directories_.size() > keep) {
    ::close(open_directories_.back().second);
    open_directories_.pop_back();
  }
}

int SecureTree::directory(std::string_view path) {
  if (path.empty()) {
    return root_fd_;
  }
  const std::vector<std::string_view> segments = path_segments(path);
  std::size_t common = 0;
  while (common < segments.size() && common < open_directories_.size() &&
         open_directories_[common].first == segments[common]) {
    ++common;
  }
  close_open_directories(common);
  std::string walked;
  for (std::size_t i = 0; i < common; ++i) {
    walked = join(walked, segments[i]);
  }
  for (std::size_t i = common; i < segments.size(); ++i) {
    walked = join(walked, segments[i]);
    const int parent = open_directories_.empty() ? root_fd_ : open_directories_.back().second;
    const int next = ::openat(parent, std::string(segments[i]).c_str(), kDirectoryFlags);
    if (next < 0) {
      const int error = errno;
      if (error == ENOENT || error == ENOTDIR) {
        struct stat status {};
        // ENOTDIR also reports a symbolic link opened with O_NOFOLLOW | O_DIRECTORY.
        if (error == ENOTDIR &&
            ::fstatat(root_fd_, walked.c_str(), &status, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(status.st_mode)) {
          refuse(walked, "a symbolic link");
        }
        return -1;
      }
      if (error == ELOOP) {
        refuse(walked, "a symbolic link");
      }
      io_failed(root_ + "/" + walked + ": open", error);
    }
    open_directories_.emplace_back(std::string(segments[i]), next);
  }
  return open_directories_.back().second;
}

std::optional<std::vector<TreeEntry>> SecureTree::list(std::string_view path) {
  const int fd = directory(path);
  if (fd < 0) {
    return std::nullopt;
  }
  const int own = ::openat(fd, ".", kDirectoryFlags);
  if (own < 0) {
    io_failed(root_ + "/" + std::string(path) + ": open", errno);
  }
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(own));
  if (!dir) {
    const int error = errno;
    ::close(own);
    io_failed(root_ + "/" + std::string(path) + ": opendir", error);
  }
  std::vector<TreeEntry> entries;
  while (const dirent* entry = ::readdir(dir.get())) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") {
      continue;
    }
    const std::string full = join(std::string(path), name);
    if (const auto reason = unsafe_path_reason(full)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       budget_.source() + ": unsafe name " + printable(full) + ": " + *reason,
                       "nothing was imported; rename or remove it");
    }
    struct stat status {};
    if (::fstatat(::dirfd(dir.get()), entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0) {
      io_failed(root_ + "/" + full + ": stat", errno);
    }
    if (!S_ISDIR(status.st_mode) && !S_ISREG(status.st_mode)) {
      refuse(full, kind_of(status.st_mode));
    }
    if (S_ISREG(status.st_mode) && status.st_nlink > 1) {
      refuse(full, "a hard link (" + std::to_string(status.st_nlink) + " names share the file)");
    }
    entries.push_back(
        {std::string(name), S_ISDIR(status.st_mode), static_cast<std::uint64_t>(status.st_size)});
  }
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.name < b.name; });
  return entries;
}

bool SecureTree::exists(std::string_view path) {
  struct stat status {};
  return ::fstatat(root_fd_, std::string(path).c_str(), &status, AT_SYMLINK_NOFOLLOW) == 0;
}

int SecureTree::open_file(std::string_view path) {
  std::uint64_t ignored = 0;
  return open_regular_file(path, ignored);
}

int SecureTree::open_regular_file(std::string_view path, std::uint64_t& size) {
  int fd = -1;
  if (open_beneath_works_) {
    // From the file's grandparent, kept open for the next path: the files of one directory, and
    // the artifacts of one bundle (each in a directory of its own), need no directory opened.
    const std::size_t slash = path.rfind('/');
    const std::size_t upper = slash == std::string_view::npos || slash == 0
                                  ? std::string_view::npos
                                  : path.rfind('/', slash - 1);
    const std::string_view base = upper == std::string_view::npos ? "" : path.substr(0, upper);
    const int base_fd = directory(base);
    if (base_fd >= 0) {
      fd = open_beneath(
          base_fd, std::string(upper == std::string_view::npos ? path : path.substr(upper + 1)),
          kFileFlags);
      if (fd < 0 && errno == ENOSYS) {
        open_beneath_works_ = false;
      }
    }
  }
  // A link on the way, a missing file or anything else: the walk a segment at a time says
  // exactly which, and what it is.
  if (fd < 0) {
    fd = open_segment_by_segment(path);
  }
  if (fd < 0) {
    return -1;
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    const int error = errno;
    ::close(fd);
    io_failed(root_ + "/" + std::string(path) + ": stat", error);
  }
  if (S_ISDIR(status.st_mode)) {
    ::close(fd);
    return -1;
  }
  if (!S_ISREG(status.st_mode)) {
    ::close(fd);
    refuse(std::string(path), kind_of(status.st_mode));
  }
  if (status.st_nlink > 1) {
    ::close(fd);
    refuse(std::string(path),
           "a hard link (" + std::to_string(status.st_nlink) + " names share the file)");
  }
  size = static_cast<std::uint64_t>(status.st_size);
  return fd;
}

int SecureTree::open_segment_by_segment(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  const std::string_view parent = slash == std::string_view::npos ? "" : path.substr(0, slash);
  const std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  const int dir = directory(parent);
  if (dir < 0) {
    return -1;
  }
  const int fd = ::openat(dir, name.c_str(), kFileFlags);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) {
      return -1;
    }
    if (error == ELOOP) {
      refuse(std::string(path), "a symbolic link");
    }
    io_failed(root_ + "/" + std::string(path) + ": open", error);
  }
  return fd;
}

bool SecureTree::read(std::string_view path, FileClass file_class, std::string& out,
                      bool* waited_for_storage) {
  std::uint64_t size = 0;
  const int fd = open_regular_file(path, size);
  if (fd < 0) {
    return false;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  budget_.admit_file(path, size, file_class);
  out.resize(static_cast<std::size_t>(size));
  std::size_t done = 0;
  std::optional<std::chrono::steady_clock::time_point> waiting_since;
  if (waited_for_storage != nullptr) {
    *waited_for_storage = false;
    done = out.empty() ? 0 : read_without_waiting(fd, out);
    if (done < out.size()) {
      waiting_since = std::chrono::steady_clock::now();
    }
  }
  // At offsets: the bytes the page cache already gave are kept, not read again.
  while (done < out.size()) {
    const ssize_t got = ::pread(fd, out.data() + done, std::min(kReadChunk, out.size() - done),
                                static_cast<off_t>(done));
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) {
        continue;
      }
      io_failed(root_ + "/" + std::string(path) + ": read", errno);
    }
    if (got == 0) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       budget_.source() + ": " + printable(path) + " shrank while it was read",
                       "nothing was imported; do not change the source while it is imported");
    }
    done += static_cast<std::size_t>(got);
  }
  if (waiting_since) {
    *waited_for_storage = std::chrono::steady_clock::now() - *waiting_since >= kStorageWait;
  }
  return true;
}

}  // namespace stella_importer
