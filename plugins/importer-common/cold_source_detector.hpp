// Whether a directory source is read from the page cache or waits for its storage, judged from
// the files read so far: the bundle-dir importer warms the files ahead of its reads only for a
// source that waits (file_warmer.hpp).
#pragma once

#include <array>
#include <cstddef>

namespace stella_importer {

/// Tells a source that waits for storage from one in the page cache, from whether each file read
/// waited for it (SecureTree::read): cold once kColdMisses of the last kWindow files did. A few
/// are not enough: a read preempted at the wrong moment looks like one that waited, and on a
/// cached million-file source such reads come in bursts of up to 14 in 64 (measured). On a cold
/// one nearly every read waits.
class ColdSourceDetector {
 public:
  static constexpr std::size_t kWindow = 256;
  static constexpr unsigned kColdMisses = 64;

  /// Notes one file read; true when the source looks cold.
  bool note(bool waited_for_storage) {
    misses_ -= missed_[next_] ? 1 : 0;
    missed_[next_] = waited_for_storage;
    misses_ += waited_for_storage ? 1 : 0;
    next_ = (next_ + 1) % kWindow;
    return misses_ >= kColdMisses;
  }

 private:
  std::array<bool, kWindow> missed_{};
  std::size_t next_ = 0;
  unsigned misses_ = 0;
};

}  // namespace stella_importer
