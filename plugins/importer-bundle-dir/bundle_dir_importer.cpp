// Storage importer "bundle-dir": an evidence bundle directory (docs/bundle-format.md).
//
// checksums.sha256 is read line by line — it lists every other file in the order the export wrote
// them — and each listed file is opened (never through a link: secure_tree.hpp), checked through
// its descriptor (a regular file with one name, within the limits), hashed, compared with its line
// and handed to the bundle format reader. Beside the read, the whole directory is walked on a
// thread of its own (background_walk.hpp), refusing links, devices and anything over the entry
// limit by the types the directories give; the read fails as soon as the walk does. Files the walk
// found but the list does not name are reported as extra, and paths on more than one line of the
// list as duplicates. Memory: 16 bytes per file of the
// directory and per line of the list, plus the files in flight between the threads of a read.
//
// The read runs on two threads: one opens, reads and hashes the listed files (system time, most
// of it), the calling thread turns them, in the list's order, into ImportSink calls.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "background_walk.hpp"
#include "bundle_format_reader.hpp"
#include "checksum_line.hpp"
#include "cold_source_detector.hpp"
#include "file_warmer.hpp"
#include "import_budget.hpp"
#include "line_splitter.hpp"
#include "safe_path.hpp"
#include "secure_tree.hpp"
#include "sha256_hasher.hpp"
#include "stella/sdk/sdk.hpp"
#include "two_thread_read.hpp"

namespace stella_importer {
namespace {

namespace sdk = stella::sdk;

/// A line holds 64 hex digits, two separator bytes and a path.
constexpr std::size_t kMaxChecksumLineBytes = kMaxPathBytes + kSha256HexDigits + 2;
constexpr std::size_t kReadChunk = std::size_t{1} << 16;

/// Checksum lines read ahead of the one being handled; the warmer reads in the files they name.
constexpr std::size_t kLookahead = 256;
/// Threads opening those files: several requests at once keep a disk (or network volume) busy.
constexpr unsigned kWarmingThreads = 8;

class BundleDirImporter final : public sdk::StorageImporter {
 public:
  std::string source_format() const override { return STELLA_IMPORTER_SOURCE_FORMAT; }

  bool recognizes(const std::string& location) const override {
    try {
      // A directory with the format's manifest is claimed; whether it holds a valid bundle is for
      // read() to say, naming what is wrong (a damaged manifest, or a checksum list deleted, is
      // still this format's: a damaged bundle, exit 1, not "not a bundle at all").
      sdk::ImportLimits limits;
      ImportBudget budget(limits, location);
      SecureTree tree(location, budget);
      const int fd = tree.open_file(bundle_format::kManifestFile);
      if (fd < 0) {
        return false;
      }
      ::close(fd);
      return true;
    } catch (...) {
      // Anything unreadable or unsafe is not recognized; read() names the problem when asked.
      return false;
    }
  }

  void read(const std::string& location, const sdk::ImportLimits& limits, sdk::ImportSink& sink,
            sdk::HostContext& ctx) override {
    ImportBudget budget(limits, location);
    SecureTree tree(location, budget);
    // Unsafe entries anywhere in the tree fail the read as soon as the walk meets them; the files
    // the list does not name are found once both are done.
    BackgroundWalk walk(location, limits, bundle_format::kChecksumsFile);

    // The reader names the source in its messages through a budget of its own: the reading
    // thread's tree counts against `budget`.
    ImportBudget names(limits, location);
    BundleFormatReader reader(sink, names);
    read_on_two_threads(
        location, [&](FileFeed& feed) { read_listed_files(location, limits, tree, walk, feed); },
        reader, sink, ctx, walk.total_files());
  }

 private:
  /// Calls `on_line` with each line of checksums.sha256 (without its '\n').
  template <typename OnLine>
  static void for_each_checksums_line(const std::string& location, SecureTree& tree,
                                      OnLine on_line) {
    const int fd = tree.open_file(bundle_format::kChecksumsFile);
    if (fd < 0) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       location + ": no " + bundle_format::kChecksumsFile +
                           "; a bundle directory lists and checksums its files there, and nothing "
                           "can be checked without it",
                       "nothing was imported; restore checksums.sha256 from the original export, "
                       "or export again");
    }
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    LineSplitter splitter(location + ": " + bundle_format::kChecksumsFile, kMaxChecksumLineBytes,
                          on_line);
    std::string chunk(kReadChunk, '\0');
    while (true) {
      const ssize_t got = ::read(fd, chunk.data(), chunk.size());
      if (got < 0) {
        throw sdk::Error(sdk::ErrorCode::internal,
                         location + ": reading checksums.sha256: " + std::strerror(errno));
      }
      if (got == 0) {
        break;
      }
      splitter.feed(std::string_view(chunk.data(), static_cast<std::size_t>(got)));
    }
    splitter.finish();
  }

  /// On the reading thread: reads checksums.sha256 line by line and hands over each file it lists,
  /// read and checked, then the problems of the list as a whole.
  static void read_listed_files(const std::string& location, const sdk::ImportLimits& limits,
                                SecureTree& tree, BackgroundWalk& walk, FileFeed& feed) {
    // The keys of the files the list names, to find the files it does not.
    std::vector<PathKey> listed;
    // Lines are handled kLookahead lines after they are read, so that the files they name can be
    // read in by the warmer meanwhile.
    FileWarmer warmer(location, limits, kWarmingThreads);
    std::deque<std::pair<std::uint64_t, std::string>> ahead;
    std::uint64_t lines_read = 0;
    // Warming starts once files are found not to be in the page cache, from the lines read ahead
    // on. A source that is cached already (an export read back at once, a copy just made) is
    // never warmed: there, warming only costs, every file opened a second time by threads that
    // wake for each (a third of a warm import's time).
    ColdSourceDetector cold;
    bool warming = false;
    auto warm = [&](std::string_view text) {
      std::string why;
      if (const auto line = parse_checksum_line(text, why);
          line && !unsafe_path_reason(line->path)) {
        warmer.warm(line->path);
      }
    };
    auto handle_line = [&](std::uint64_t line_number, std::string_view text) {
      const std::string where =
          std::string(bundle_format::kChecksumsFile) + " line " + std::to_string(line_number);
      std::string why;
      const auto line = parse_checksum_line(text, why);
      if (!line) {
        feed.problem({"checksum_format", bundle_format::kChecksumsFile, "<sha256>  <path>",
                      std::string(text.substr(0, kSha256HexDigits + 2)), where + ": " + why});
        return;
      }
      require_safe_path(line->path, location + ": " + where);
      if (line->path == bundle_format::kChecksumsFile) {
        feed.problem({"checksum_format", bundle_format::kChecksumsFile, "every other file",
                      line->path, where + ": the list names itself"});
        return;
      }
      walk.rethrow_if_failed();
      listed.push_back(path_key(line->path));
      std::string content;
      bool waited = false;
      const bool read =
          tree.read(line->path, BundleFormatReader::file_class(line->path), content, &waited);
      if (read && cold.note(waited) && !warming) {
        warming = true;
        for (const auto& pending : ahead) {
          warm(pending.second);
        }
      }
      if (!read) {
        feed.problem({"missing_file", line->path, "sha256:" + line->hex, "no such file",
                      "checksums.sha256 lists a file the directory does not hold"});
        return;
      }
      const std::string actual = sha256_hex(content);
      if (actual != line->hex) {
        feed.problem({"checksum", line->path, "sha256:" + line->hex, "sha256:" + actual,
                      "the file's SHA-256 differs from checksums.sha256"});
      }
      feed.file(line->path, std::move(content));
    };
    auto on_line = [&](std::string_view text) {
      if (warming) {
        warm(text);
      }
      ahead.emplace_back(++lines_read, std::string(text));
      if (ahead.size() > kLookahead) {
        handle_line(ahead.front().first, ahead.front().second);
        ahead.pop_front();
      }
    };
    for_each_checksums_line(location, tree, on_line);
    for (; !ahead.empty(); ahead.pop_front()) {
      handle_line(ahead.front().first, ahead.front().second);
    }
    const std::vector<PathKey>& present = walk.finish();
    feed.files_done();

    const std::vector<PathKey> repeated = repeated_keys(listed);
    if (!repeated.empty()) {
      report_repeated_lines(location, tree, repeated, feed);
    }
    if (!std::includes(listed.begin(), listed.end(), present.begin(), present.end())) {
      report_extra_files(location, limits, listed, feed);
    }
  }

  /// Reads checksums.sha256 again (only when some path is on more than one line) to name each
  /// such path and its lines: the export lists every file once, and a file listed twice is read,
  /// checked and handed on twice.
  static void report_repeated_lines(const std::string& location, SecureTree& tree,
                                    const std::vector<PathKey>& repeated, FileFeed& feed) {
    RepeatedPathNames names(repeated);
    for_each_checksums_line(location, tree, [&](std::string_view text) { names.line(text); });
    if (names.found().empty()) {
      // The list changed between the two reads; what the first read saw is still wrong.
      feed.problem({"duplicate_file", bundle_format::kChecksumsFile, "one line per file",
                    "a file on more than one line", "checksums.sha256 lists a file twice"});
      return;
    }
    for (const auto& [key, repeated_path] : names.found()) {
      std::string numbers;
      for (const std::uint64_t line_number : repeated_path.lines) {
        numbers += (numbers.empty() ? "" : ", ") + std::to_string(line_number);
      }
      feed.problem({"duplicate_file", repeated_path.path, "one line per file",
                    std::to_string(repeated_path.lines.size()) + " lines (" + numbers + ")",
                    "checksums.sha256 lists the file more than once"});
    }
  }

  /// Walks again (only when some file is not listed) to name the files checksums.sha256 omits,
  /// with a stat of each: an unlisted file is never opened, so only here can it be found to be a
  /// hard link.
  static void report_extra_files(const std::string& location, const sdk::ImportLimits& limits,
                                 const std::vector<PathKey>& listed, FileFeed& feed) {
    ImportBudget budget(limits, location);
    SecureTree tree(location, budget);
    tree.walk(
        [&](const std::string& path, std::uint64_t) {
          if (path == bundle_format::kChecksumsFile) {
            return;
          }
          if (!std::binary_search(listed.begin(), listed.end(), path_key(path))) {
            feed.problem({"extra_file", path, "only files listed in checksums.sha256",
                          "an unlisted file",
                          "the directory holds a file checksums.sha256 does not list"});
          }
        },
        SecureTree::EntryCheck::stat_each);
  }
};

sdk::Plugin* create() {
  return new BundleDirImporter();
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
