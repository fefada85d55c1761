// Reading a directory tree from an untrusted source without ever following a link out of it.
//
// The root is opened once; every file is then opened relative to it, refusing a symbolic link
// anywhere on the way (openat2 with RESOLVE_NO_SYMLINKS, or one path segment at a time with
// O_NOFOLLOW), even one that appeared after the tree was walked. Hard-linked files (which may alias
// files outside the source), devices, FIFOs and sockets are refused too, and FIFOs are opened
// non-blocking so that one cannot stall a read.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import_budget.hpp"

namespace stella_importer {

/// Deepest directory nesting accepted in a source (a bundle needs about eight levels plus its
/// artifacts' own; each level holds a directory handle open while the walk is inside it).
inline constexpr int kMaxTreeDepth = 64;

/// A read of a cached file takes microseconds; one that waits for a disk, a tenth of a millisecond
/// or more.
inline constexpr std::chrono::microseconds kStorageWait{100};

struct TreeEntry {
  std::string name;
  bool is_directory = false;
  std::uint64_t size = 0;
};

/// Ownership: owns the root's file descriptor and one cached directory descriptor.
/// Thread-safety: one thread at a time.
/// Failure: throws stella::sdk::Error(invalid_input) naming the path and what it is (a link, a
/// device...) for anything unsafe; stella::sdk::Error(internal) for I/O errors.
class SecureTree {
 public:
  /// Opens the directory `root` (the operator named it, so a link *to* the root is followed).
  SecureTree(const std::string& root, ImportBudget& budget);
  ~SecureTree();
  SecureTree(const SecureTree&) = delete;
  SecureTree& operator=(const SecureTree&) = delete;

  /// How walk() learns what each entry is.
  enum class EntryCheck {
    /// From the type the directory gives each entry (a stat only where the file system gives
    /// none). Regular files are not stat()ed: walk() reports their size as 0, and read() refuses
    /// a hard link and counts the bytes, through the descriptor it reads. A stat per entry was
    /// a third of the walk of a million-file source.
    by_type = 1,
    /// A stat of every entry: sizes known and hard links refused here, for files never read.
    stat_each = 2,
  };

  /// Visits every entry below the root, depth first with names sorted bytewise, counting each
  /// against the budget's entries and refusing anything unsafe (links, devices, FIFOs, sockets,
  /// and with EntryCheck::stat_each hard links). Calls `on_file(relative path, size)` for each
  /// regular file (size 0 with EntryCheck::by_type).
  void walk(const std::function<void(const std::string& path, std::uint64_t size)>& on_file,
            EntryCheck check = EntryCheck::by_type);

  /// The entries of directory `path` ("" for the root), sorted by name; nullopt when it does not
  /// exist. Refuses unsafe entries as walk() does (without counting them).
  std::optional<std::vector<TreeEntry>> list(std::string_view path);

  /// Reads the regular file `path` into `out`, refusing it unread when it is larger than the
  /// budget allows for `file_class` or for the source as a whole (its bytes count against it).
  /// Returns false when it does not exist. When `waited_for_storage` is given, it tells whether the
  /// read waited for the disk: the bytes were not in the page cache (a first read with RWF_NOWAIT,
  /// which costs nothing when they are, says so) and the ordinary read that followed took
  /// kStorageWait or longer. The time is what decides: RWF_NOWAIT also fails now and then for a
  /// cached file, when the read would wait for a lock.
  bool read(std::string_view path, FileClass file_class, std::string& out,
            bool* waited_for_storage = nullptr);

  /// Opens the regular file `path` for streaming (the caller closes the descriptor); -1 when it
  /// does not exist. Refuses what read() refuses, except that no size limit applies.
  int open_file(std::string_view path);

  /// True when `path` exists (as anything) without following a final link.
  bool exists(std::string_view path);

 private:
  /// Descriptor of directory `path` ("" for the root), or -1 when it does not exist. The
  /// directories of the last path asked for stay open, so reading the files of a bundle in order
  /// opens each directory once.
  int directory(std::string_view path);
  /// open_file(), also giving the file's size (from the one fstat that checks what it is). Opens
  /// with one openat2(2) that refuses any link on the way; when that fails, or the kernel has no
  /// openat2, with open_segment_by_segment().
  int open_regular_file(std::string_view path, std::uint64_t& size);
  /// Opens `path` through its directories one segment at a time with O_NOFOLLOW, keeping them
  /// open for the next path; -1 when it does not exist; refuses a link, naming it.
  int open_segment_by_segment(std::string_view path);
  void close_open_directories(std::size_t keep);
  void walk_directory(int fd, const std::string& prefix, int depth, EntryCheck check,
                      const std::function<void(const std::string&, std::uint64_t)>& on_file);
  [[noreturn]] void refuse(const std::string& path, const std::string& what) const;

  std::string root_;
  ImportBudget& budget_;
  /// False once openat2(2) turned out to be missing (a kernel before 5.6).
  bool open_beneath_works_ = true;
  int root_fd_ = -1;
  /// The open directories of the last path, outermost first: (segment, descriptor).
  std::vector<std::pair<std::string, int>> open_directories_;
};

}  // namespace stella_importer
