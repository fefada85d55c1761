// Storage importer "portable-tar-gz": a portable evidence archive (docs/bundle-format.md).
//
// The archive is read once, entry by entry, straight from the compressed stream (nothing is
// extracted to disk): every entry must be a regular file (or a directory) at a safe path; links,
// devices and FIFOs are refused; entry count, sizes and the expansion ratio are bounded. Each
// file is hashed and its "<sha256>  <path>" line spooled to a private temporary file; the last
// entry, checksums.sha256, is then compared line by line with the spool. Memory: one file and one
// line at a time (a map of the unmatched rest only when the lists disagree), 16 bytes per entry
// (to find files held twice), plus the files in flight between the two threads of a read.
//
// A read runs on two threads (two_thread_read.hpp): one decompresses the archive, checks each entry
// and hashes it; the calling thread turns the files, in archive order, into ImportSink calls.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bundle_format_reader.hpp"
#include "checksum_line.hpp"
#include "import_budget.hpp"
#include "line_splitter.hpp"
#include "path_key.hpp"
#include "safe_path.hpp"
#include "sha256_hasher.hpp"
#include "stella/sdk/sdk.hpp"
#include "two_thread_read.hpp"
#include "utf8_conversion_scope.hpp"

namespace stella_importer {
namespace {

namespace sdk = stella::sdk;

constexpr std::size_t kMaxChecksumLineBytes = kMaxPathBytes + kSha256HexDigits + 2;
constexpr std::size_t kReadBlock = std::size_t{1} << 16;
constexpr unsigned char kGzipMagic0 = 0x1f;
constexpr unsigned char kGzipMagic1 = 0x8b;
/// recognizes() looks at no more than this many leading directory entries for manifest.json.
constexpr int kSniffEntries = 4;

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveHandle = std::unique_ptr<archive, ArchiveCloser>;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

bool is_ascii(const char* text) {
  for (; *text != '\0'; ++text) {
    if (static_cast<unsigned char>(*text) >= 0x80) {
      return false;
    }
  }
  return true;
}

/// The entry's name as UTF-8; empty when the archive holds none it can give.
std::string entry_name(archive_entry* entry) {
  // A name in ASCII is its own UTF-8: asking libarchive to convert it costs a wide-character
  // round trip per entry, a tenth of a read's time at a million entries.
  if (const char* raw = archive_entry_pathname(entry); raw != nullptr && is_ascii(raw)) {
    return raw;
  }
  if (const char* utf8 = archive_entry_pathname_utf8(entry)) {
    return utf8;
  }
  if (const char* native = archive_entry_pathname(entry)) {
    return native;
  }
  return {};
}

/// "./manifest.json" (as `tar -C dir .` writes) is "manifest.json"; "dir/" is "dir".
std::string normalized(std::string path) {
  while (path.rfind("./", 0) == 0) {
    path.erase(0, 2);
  }
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }
  return path;
}

ArchiveHandle open_archive(const std::string& location) {
  ArchiveHandle a(archive_read_new());
  if (!a) {
    throw sdk::Error(sdk::ErrorCode::internal, "libarchive: archive_read_new failed");
  }
  // Only gzip-compressed tar: no other filter or format is ever tried on untrusted input.
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), location.c_str(), kReadBlock) != ARCHIVE_OK) {
    throw sdk::Error(
        sdk::ErrorCode::invalid_input,
        location + ": not a gzip-compressed tar archive: " + archive_error_string(a.get()),
        "name a .tar.gz written by `stella evidence export --portable`");
  }
  return a;
}

std::string entry_kind(const archive_entry* entry) {
  if (archive_entry_hardlink(const_cast<archive_entry*>(entry)) != nullptr) {
    return "a hard link";
  }
  switch (archive_entry_filetype(const_cast<archive_entry*>(entry))) {
    case AE_IFLNK:
      return "a symbolic link";
    case AE_IFCHR:
      return "a character device";
    case AE_IFBLK:
      return "a block device";
    case AE_IFIFO:
      return "a FIFO";
    case AE_IFSOCK:
      return "a socket";
    default:
      return "not a regular file or directory";
  }
}

/// Reads the archive entry by entry: checks each, hashes it for the checksum comparison and hands
/// it over. Thread-safety: runs on one thread, its own.
class ArchiveWalk {
 public:
  ArchiveWalk(const std::string& location, const sdk::ImportLimits& limits)
      : location_(location),
        budget_(limits, location),
        archive_(open_archive(location)),
        spool_(std::tmpfile()) {
    if (!spool_) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "cannot create a temporary file for the checksum spool",
                       "check that $TMPDIR (or /tmp) is writable");
    }
  }

  ~ArchiveWalk() { std::free(line_buffer_); }
  ArchiveWalk(const ArchiveWalk&) = delete;
  ArchiveWalk& operator=(const ArchiveWalk&) = delete;

  /// Walks the whole archive, handing each file and problem to `feed` (on the reading thread).
  void run(FileFeed& feed) {
    feed_ = &feed;
    walk();
    feed.files_done();
  }

 private:
  void problem(sdk::SourceProblem problem) { feed_->problem(std::move(problem)); }

  void walk() {
    archive_entry* entry = nullptr;
    while (true) {
      const int status = archive_read_next_header(archive_.get(), &entry);
      if (status == ARCHIVE_EOF) {
        break;
      }
      if (status != ARCHIVE_OK) {
        fail_reading("after " + (last_path_.empty() ? std::string("the start")
                                                    : "entry " + printable(last_path_)));
      }
      const std::string raw_name = entry_name(entry);
      if (raw_name.empty()) {
        fail_reading("at an entry without a readable name");
      }
      const std::string path = normalized(raw_name);
      if (path.empty()) {
        continue;  // the "./" entry of `tar -C dir .`
      }
      budget_.count_entry(path);
      require_safe_path(path, location_);
      last_path_ = path;
      const bool hard_link = archive_entry_hardlink(entry) != nullptr;
      const auto type = archive_entry_filetype(entry);
      if (type == AE_IFDIR && !hard_link) {
        continue;
      }
      if (type != AE_IFREG || hard_link) {
        throw sdk::Error(sdk::ErrorCode::invalid_input,
                         location_ + ": entry " + printable(path) + " is " + entry_kind(entry) +
                             "; a portable archive holds only regular files",
                         "nothing was imported; recreate the archive with `stella evidence export "
                         "--portable`");
      }
      if (checksums_seen_) {
        problem({"extra_file", path, "nothing after checksums.sha256", path,
                 "the archive has an entry after checksums.sha256, which comes last"});
        archive_read_data_skip(archive_.get());
        continue;
      }
      if (path == bundle_format::kChecksumsFile) {
        checksums_seen_ = true;
        compare_checksums();
        continue;
      }
      entry_keys_.push_back(path_key(path));
      feed_->file(path, read_entry(path, entry));
    }
    if (!checksums_seen_) {
      problem({"missing_file", bundle_format::kChecksumsFile, "the archive's last entry",
               "no such entry", "the archive has no checksums.sha256 (was it cut short?)"});
    }
    report_repeated_entries();
  }

  /// Names each file the archive holds more than once (from the spool, which has a line per
  /// entry). The export writes every file once; `tar -x` of an archive with two entries of one
  /// name keeps only the last, whatever was checked.
  void report_repeated_entries() {
    const std::vector<PathKey> repeated = repeated_keys(entry_keys_);
    if (repeated.empty()) {
      return;
    }
    std::fflush(spool_.get());
    std::rewind(spool_.get());
    RepeatedPathNames names(repeated);
    std::string text;
    while (next_spool_line(text)) {
      names.line(text);
    }
    for (const auto& [key, repeated_path] : names.found()) {
      problem({"duplicate_file", repeated_path.path, "one entry per file",
               std::to_string(repeated_path.lines.size()) + " entries",
               "the archive holds the file more than once; extracting it keeps only the last"});
    }
  }

  [[noreturn]] void fail_reading(const std::string& where) {
    const char* reason = archive_error_string(archive_.get());
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     location_ + ": the archive is truncated or damaged " + where + ": " +
                         (reason != nullptr ? reason : "unknown libarchive error"),
                     "nothing was imported; copy the archive again and compare it with its "
                     "checksum (sha256sum -c)");
  }

  void check_expansion() {
    budget_.check_expansion(static_cast<std::uint64_t>(archive_filter_bytes(archive_.get(), -1)),
                            static_cast<std::uint64_t>(archive_filter_bytes(archive_.get(), 0)),
                            last_path_);
  }

  std::string read_entry(const std::string& path, archive_entry* entry) {
    if (!archive_entry_size_is_set(entry) || archive_entry_size(entry) < 0) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       location_ + ": entry " + printable(path) + " has no size",
                       "nothing was imported; recreate the archive with `stella evidence export "
                       "--portable`");
    }
    const auto size = static_cast<std::uint64_t>(archive_entry_size(entry));
    budget_.admit_file(path, size, BundleFormatReader::file_class(path));
    // The header's size is the archive's word, not its bytes: memory grows with what is read, so
    // a few hundred bytes declaring a gigabyte cost a block, not the gigabyte (the bytes read are
    // bounded by the limits and the expansion check).
    std::string content;
    while (content.size() < size) {
      const std::size_t have = content.size();
      const std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(kReadBlock, size - have));
      if (have + want > content.capacity()) {
        // Doubling, but never past the declared size: a large artifact is held once.
        content.reserve(static_cast<std::size_t>(
            std::min<std::uint64_t>(size, std::max(2 * content.capacity(), have + want))));
      }
      content.resize(have + want);
      const la_ssize_t got = archive_read_data(archive_.get(), content.data() + have, want);
      if (got < 0) {
        fail_reading("in entry " + printable(path));
      }
      if (got == 0) {
        fail_reading("in entry " + printable(path) + " (it ends early)");
      }
      content.resize(have + static_cast<std::size_t>(got));
      check_expansion();
    }
    const std::string line = checksum_line_text(sha256_hex(content), path);
    if (std::fwrite(line.data(), 1, line.size(), spool_.get()) != line.size()) {
      throw sdk::Error(sdk::ErrorCode::internal, "cannot write the checksum spool",
                       "check the free space of $TMPDIR (or /tmp)");
    }
    return content;
  }

  /// Reads the next line of the spool (without '\n'); false at its end.
  bool next_spool_line(std::string& line) {
    // A line at a time (getline), not a character at a time: the spool has a line per file.
    const ssize_t got = ::getline(&line_buffer_, &line_capacity_, spool_.get());
    if (got <= 0) {
      line.clear();
      return false;
    }
    const auto length = static_cast<std::size_t>(got);
    line.assign(line_buffer_, line_buffer_[length - 1] == '\n' ? length - 1 : length);
    return true;
  }

  void compare_checksums() {
    std::fflush(spool_.get());
    std::rewind(spool_.get());
    std::string spooled;
    bool diverged = false;
    // Once the lists disagree, the rest of checksums.sha256 is kept by path to name each
    // difference.
    std::unordered_map<std::string, std::string> listed_rest;
    LineSplitter splitter(location_ + ": " + bundle_format::kChecksumsFile, kMaxChecksumLineBytes,
                          [&](std::string_view text) {
                            if (!diverged) {
                              if (next_spool_line(spooled) && text == spooled) {
                                return;
                              }
                              diverged = true;
                              if (!spooled.empty()) {
                                pending_spool_line_ = spooled;
                              }
                            }
                            std::string why;
                            const auto line = parse_checksum_line(text, why);
                            if (!line) {
                              problem({"checksum_format", bundle_format::kChecksumsFile,
                                       "<sha256>  <path>", std::string(text.substr(0, 80)), why});
                              return;
                            }
                            listed_rest[line->path] = line->hex;
                          });
    char block[kReadBlock];
    while (true) {
      const la_ssize_t got = archive_read_data(archive_.get(), block, sizeof block);
      if (got < 0) {
        fail_reading("in entry checksums.sha256");
      }
      if (got == 0) {
        break;
      }
      budget_.count_bytes(bundle_format::kChecksumsFile, static_cast<std::uint64_t>(got));
      check_expansion();
      splitter.feed(std::string_view(block, static_cast<std::size_t>(got)));
    }
    splitter.finish();
    if (!diverged) {
      if (next_spool_line(spooled)) {
        diverged = true;
        pending_spool_line_ = spooled;
      } else {
        return;
      }
    }
    report_differences(listed_rest);
  }

  void report_differences(std::unordered_map<std::string, std::string>& listed_rest) {
    std::string text = pending_spool_line_;
    bool have = !text.empty();
    std::string why;
    while (have) {
      if (const auto line = parse_checksum_line(text, why)) {
        const auto listed = listed_rest.find(line->path);
        if (listed == listed_rest.end()) {
          problem({"extra_file", line->path, "only files listed in checksums.sha256",
                   "an unlisted entry",
                   "the archive holds an entry checksums.sha256 does not list"});
        } else {
          if (listed->second != line->hex) {
            problem({"checksum", line->path, "sha256:" + listed->second, "sha256:" + line->hex,
                     "the entry's SHA-256 differs from checksums.sha256"});
          }
          listed_rest.erase(listed);
        }
      }
      have = next_spool_line(text);
    }
    for (const auto& [path, hex] : listed_rest) {
      problem({"missing_file", path, "sha256:" + hex, "no such entry",
               "checksums.sha256 lists an entry the archive does not hold"});
    }
  }

  std::string location_;
  FileFeed* feed_ = nullptr;
  ImportBudget budget_;
  ArchiveHandle archive_;
  std::unique_ptr<std::FILE, FileCloser> spool_;
  std::string last_path_;
  std::string pending_spool_line_;
  /// getline's buffer for the spool (malloc'ed by getline, freed with the reader).
  char* line_buffer_ = nullptr;
  std::size_t line_capacity_ = 0;
  bool checksums_seen_ = false;
  /// A key per file entry, to find the files held twice once the archive is read.
  std::vector<PathKey> entry_keys_;
};

/// Reads the archive on two threads: the walk decompresses and checks, the calling thread feeds the
/// bundle format reader.
void read_archive(const std::string& location, const sdk::ImportLimits& limits,
                  sdk::ImportSink& sink, sdk::HostContext& ctx) {
  // The reader names the source in its messages through a budget of its own: the walk counts
  // against its own.
  ImportBudget names(limits, location);
  BundleFormatReader reader(sink, names);
  // Opening the archive fails here, on the calling thread, before the walk starts.
  ArchiveWalk walk(location, limits);
  const std::atomic<std::uint64_t> entries_unknown{0};
  read_on_two_threads(
      location,
      [&walk](FileFeed& feed) {
        const Utf8ConversionScope utf8;
        walk.run(feed);
      },
      reader, sink, ctx, entries_unknown);
}

class PortableImporter final : public sdk::StorageImporter {
 public:
  std::string source_format() const override { return STELLA_IMPORTER_SOURCE_FORMAT; }

  bool recognizes(const std::string& location) const override {
    try {
      std::unique_ptr<std::FILE, FileCloser> file(std::fopen(location.c_str(), "rb"));
      if (!file || std::fgetc(file.get()) != kGzipMagic0 || std::fgetc(file.get()) != kGzipMagic1) {
        return false;
      }
      const Utf8ConversionScope utf8;
      ArchiveHandle a = open_archive(location);
      archive_entry* entry = nullptr;
      for (int i = 0; i < kSniffEntries; ++i) {
        if (archive_read_next_header(a.get(), &entry) != ARCHIVE_OK) {
          return false;
        }
        const std::string path = normalized(entry_name(entry));
        if (archive_entry_filetype(entry) != AE_IFDIR) {
          return path == bundle_format::kManifestFile;
        }
      }
      return false;
    } catch (...) {
      // Unreadable input is simply not recognized; read() names the problem when asked.
      return false;
    }
  }

  void read(const std::string& location, const sdk::ImportLimits& limits, sdk::ImportSink& sink,
            sdk::HostContext& ctx) override {
    read_archive(location, limits, sink, ctx);
  }
};

sdk::Plugin* create() {
  return new PortableImporter();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, STELLA_IMPORTER_PLUGIN_ID,
                                                STELLA_IMPORTER_PLUGIN_VERSION,
                                                sdk::PluginKind::storage_importer, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella_importer

STELLA_PLUGIN_EXPORT(stella_importer::describe)
