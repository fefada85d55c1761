// Walking a source directory on a thread of its own while its files are read. The walk refuses
// links, devices, FIFOs, sockets and too many entries (SecureTree::walk), and notes a key per file,
// so that the files a list does not name can be found once the read is done. On its own before
// the read, the walk of a million-file source took a sixth of the import with the second core
// idle (docs/benchmarks.md); beside the read it costs what its system calls cost.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "path_key.hpp"
#include "stella/sdk/storage_importer.hpp"

namespace stella_importer {

/// Ownership: owns its thread, its SecureTree and ImportBudget (entries are counted there).
/// Thread-safety: the public methods are for one thread (the reader's).
/// Failure: what the walk throws (stella::sdk::Error) comes out of rethrow_if_failed() and
/// finish().
class BackgroundWalk {
 public:
  /// Starts walking `root`; `unlisted` (the list's own file) gets no key.
  BackgroundWalk(std::string root, const stella::sdk::ImportLimits& limits, std::string unlisted);
  /// Stops the walk if it still runs, and waits for it.
  ~BackgroundWalk();
  BackgroundWalk(const BackgroundWalk&) = delete;
  BackgroundWalk& operator=(const BackgroundWalk&) = delete;

  /// The number of files once the walk is over (0 until then), for progress.
  const std::atomic<std::uint64_t>& total_files() const { return total_files_; }
  /// Throws what the walk threw, if it is over and threw; cheap enough for every file read.
  void rethrow_if_failed() const;
  /// Waits for the walk, throws what it threw, and gives the keys of every file found, sorted.
  const std::vector<PathKey>& finish();

 private:
  void run(const std::string& root, const stella::sdk::ImportLimits& limits);

  std::string unlisted_;
  std::vector<PathKey> keys_;
  std::exception_ptr failure_;
  std::atomic<bool> failed_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> total_files_{0};
  std::thread thread_;
};

}  // namespace stella_importer
