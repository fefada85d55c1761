// Writers for the FIFOs of a bad-input source: an importer that opens a FIFO instead of refusing
// it would otherwise wait for a writer forever, and `stella plugins test` with it. Each FIFO gets a
// writer that closes as soon as a reader opened it (as often as readers come), so such an importer
// reads end-of-file and the check can say that it read the FIFO.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <thread>
#include <vector>

namespace stella::host {

/// Ownership: owns one thread per FIFO, joined by the destructor. Never throws.
class FifoWriters {
 public:
  explicit FifoWriters(const std::vector<std::filesystem::path>& fifos);
  /// Releases writers still waiting for a reader (by opening each FIFO for reading, without
  /// blocking, until every writer has left its loop) and joins them.
  ~FifoWriters();
  FifoWriters(const FifoWriters&) = delete;
  FifoWriters& operator=(const FifoWriters&) = delete;

 private:
  std::vector<std::filesystem::path> fifos_;
  std::atomic<bool> stopping_{false};
  /// Writers whose thread has left its loop.
  std::atomic<std::size_t> finished_{0};
  std::vector<std::thread> writers_;
};

}  // namespace stella::host
