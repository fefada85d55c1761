// How far a piece of work raised this process's peak resident memory. Linux keeps one high-water
// mark of resident memory per process (VmHWM in /proc/self/status); writing "5" to
// /proc/self/clear_refs lowers it to the current resident size, so the mark read after the work is
// the work's own peak. `stella plugins test` uses it to catch an importer whose memory follows
// the sizes a source declares instead of the bytes it holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace stella::host {

/// The peak resident memory over a window of this process's life, from construction on.
///
/// Ownership: none. Thread-safety: the kernel's mark is the process's, so two windows open at once
/// disturb each other; work on other threads inside the window counts. Failure: never throws;
/// where the kernel offers no mark to reset, growth() is empty and unavailable_reason() says why.
class PeakMemoryWindow {
 public:
  /// Opens the window: the process's peak is lowered to its current resident size.
  PeakMemoryWindow();

  /// Bytes the peak rose above the resident size at the opening; empty when it cannot be known.
  std::optional<std::uint64_t> growth() const;

  /// Why growth() is empty; empty when it is not.
  const std::string& unavailable_reason() const { return reason_; }

 private:
  std::optional<std::uint64_t> resident_at_opening_;
  std::string reason_;
};

}  // namespace stella::host
