// The exclusive lock every status/start/stop of the embedded cluster holds, so that concurrent
// `stella` processes never race to run initdb or to start the server.
#pragma once

#include <filesystem>

namespace stella::host {

/// flock(LOCK_EX) on a file, held until destruction. The descriptor is close-on-exec so that the
/// server processes started under the lock never inherit (and so keep holding) it.
class ClusterLock {
 public:
  /// Blocks until the lock is free. Throws sdk::Error(refused) when the file cannot be opened.
  explicit ClusterLock(const std::filesystem::path& lock_file);
  ~ClusterLock();
  ClusterLock(const ClusterLock&) = delete;
  ClusterLock& operator=(const ClusterLock&) = delete;

 private:
  int descriptor_ = -1;
};

}  // namespace stella::host
