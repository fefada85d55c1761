// Holds one bundle's artifact bytes between the moment the store streams them and the moment the
// export writes them — after the bundle's bundle.json, which lists them and so can only be written
// once the last one arrived. In memory up to a limit, in a private temporary file beyond, so one
// huge bundle cannot exhaust memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace stella::host {

/// Ownership: owns its buffer and temporary file. Thread-safety: one thread.
/// Failure: throws sdk::Error(internal) when the temporary file cannot be written or read.
class ArtifactSpool {
 public:
  /// Bytes kept in memory before the spool moves to a temporary file.
  static constexpr std::size_t kMemoryLimit = std::size_t{64} << 20;

  ArtifactSpool();
  ~ArtifactSpool();
  ArtifactSpool(const ArtifactSpool&) = delete;
  ArtifactSpool& operator=(const ArtifactSpool&) = delete;

  /// Appends `bytes`; returns their offset.
  std::uint64_t append(std::string_view bytes);
  /// The `size` bytes at `offset`, valid until the next call.
  std::string_view read(std::uint64_t offset, std::uint64_t size);
  /// Forgets everything (the next bundle starts).
  void clear();

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::string memory_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::uint64_t file_size_ = 0;
  std::string scratch_;
};

}  // namespace stella::host
