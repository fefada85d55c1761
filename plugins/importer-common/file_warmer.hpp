// Reading ahead in a directory source. A bundle directory is a file per artifact; when the source
// is not in the page cache, reading them one after the other waits for the disk once per file
// (its inode, then its data). While the importer works through one file, a few threads open the
// files it will read next and ask the kernel to read them in (POSIX_FADV_WILLNEED), so that the
// disk serves several requests at once and the importer finds them cached.
//
// The warming threads read no content into the process and decide nothing: they open files the
// same safe way the importer does (one path segment at a time, never through a link, never a
// device), and whatever goes wrong for them is ignored — the importer's own read finds and names
// it.
//
// On a source that is in the page cache already, warming only costs (every file opened twice, and
// threads woken for each): the bundle-dir importer starts it only once its own reads are seen to
// wait for storage (cold_source_detector.hpp).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "stella/sdk/storage_importer.hpp"

namespace stella_importer {

/// Ownership: owns its threads, stopped and joined when destroyed.
/// Thread-safety: warm() from one thread. Failure: never throws from its threads.
class FileWarmer {
 public:
  /// Files asked for and not yet warmed, at most: a request beyond that is dropped.
  static constexpr std::size_t kMaxQueued = 1024;

  FileWarmer(std::string root, const stella::sdk::ImportLimits& limits, unsigned threads);
  ~FileWarmer();
  FileWarmer(const FileWarmer&) = delete;
  FileWarmer& operator=(const FileWarmer&) = delete;

  /// Asks for the file `path` (relative to the root) to be read into the page cache.
  void warm(std::string path);

 private:
  void work();

  std::string root_;
  stella::sdk::ImportLimits limits_;
  std::mutex mutex_;
  std::condition_variable has_work_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace stella_importer
