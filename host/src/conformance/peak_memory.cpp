#include "conformance/peak_memory.hpp"

#include <fstream>
#include <sstream>

namespace stella::host {
namespace {

constexpr const char* kStatusFile = "/proc/self/status";
constexpr const char* kClearRefsFile = "/proc/self/clear_refs";
/// clear_refs: "5" resets the peak resident size to the current one (Linux 4.0 and later).
constexpr const char* kResetPeak = "5";
constexpr std::uint64_t kKiB = 1024;

/// A "Name:   1234 kB" line of /proc/self/status, in bytes.
std::optional<std::uint64_t> status_bytes(const std::string& field) {
  std::ifstream status(kStatusFile);
  const std::string prefix = field + ":";
  for (std::string line; std::getline(status, line);) {
    if (line.compare(0, prefix.size(), prefix) != 0) {
      continue;
    }
    std::istringstream value(line.substr(prefix.size()));
    std::uint64_t kib = 0;
    std::string unit;
    if (value >> kib >> unit && unit == "kB") {
      return kib * kKiB;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

PeakMemoryWindow::PeakMemoryWindow() {
  std::ofstream clear_refs(kClearRefsFile);
  clear_refs << kResetPeak << std::flush;
  if (!clear_refs) {
    reason_ = std::string("the peak resident size cannot be reset (writing ") + kClearRefsFile +
              " failed)";
    return;
  }
  resident_at_opening_ = status_bytes("VmRSS");
  if (!resident_at_opening_ || !status_bytes("VmHWM")) {
    resident_at_opening_.reset();
    reason_ = std::string(kStatusFile) + " has no VmRSS or VmHWM line";
  }
}

std::optional<std::uint64_t> PeakMemoryWindow::growth() const {
  if (!resident_at_opening_) {
    return std::nullopt;
  }
  const std::optional<std::uint64_t> peak = status_bytes("VmHWM");
  if (!peak) {
    return std::nullopt;
  }
  return *peak > *resident_at_opening_ ? *peak - *resident_at_opening_ : 0;
}

}  // namespace stella::host
