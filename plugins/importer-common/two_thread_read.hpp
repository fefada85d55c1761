// Reading a source on two threads: one reads, checks and hashes the files (decompression or
// system calls, most of the time), the calling thread turns them, in the source's order, into
// ImportSink calls through the bundle format reader (parsing and checking documents). Each side
// is about half of a read, so a read takes about half as long on two cores.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "bundle_format_reader.hpp"
#include "stella/sdk/sdk.hpp"

namespace stella_importer {

/// What the reading thread gives the calling thread, in the source's order. Every call may throw
/// (a private type) once the calling thread has stopped taking files; let it pass.
class FileFeed {
 public:
  virtual ~FileFeed() = default;
  /// A file of the bundle format, read and checked (reader.file() on the calling thread).
  virtual void file(std::string path, std::string content) = 0;
  /// A problem of the source (sink.problem() on the calling thread).
  virtual void problem(stella::sdk::SourceProblem problem) = 0;
  /// No more files: the calling thread finishes the bundle format reader. Problems may follow.
  virtual void files_done() = 0;
};

/// Runs `read_files` on a thread of its own and feeds what it gives to `reader` and `sink` on the
/// calling thread, with progress (`total_files`: 0 while unknown, and it may become known during
/// the read) and cancellation through `ctx`.
/// At most a fixed number of files and bytes are in flight between the two. An exception on
/// either side ends both and is thrown here; the reading thread is joined before this returns.
void read_on_two_threads(const std::string& location,
                         const std::function<void(FileFeed&)>& read_files,
                         BundleFormatReader& reader, stella::sdk::ImportSink& sink,
                         stella::sdk::HostContext& ctx,
                         const std::atomic<std::uint64_t>& total_files);

}  // namespace stella_importer
