// Where an export's files go — a directory, or one deterministic .tar.gz — with checksums.sha256
// kept on the way: each file's "<sha256>  <path>" line is spooled to a private temporary file (a
// million lines never sit in memory) and written as the last file by finish().
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace stella::host {

/// Ownership: owns its output until finish(); a writer destroyed before finish() leaves a partial
/// output behind for its caller (ExportTarget) to remove.
/// Thread-safety: one thread.
/// Failure: throws sdk::Error(internal) naming the file and the system's reason on I/O errors
/// (a full disk, permissions).
class BundleFileWriter {
 public:
  virtual ~BundleFileWriter();
  BundleFileWriter(const BundleFileWriter&) = delete;
  BundleFileWriter& operator=(const BundleFileWriter&) = delete;

  /// Adds the file `path` (relative, '/'-separated). `sha256_hex`, when not empty, is the
  /// content's SHA-256 the caller already computed.
  void add(std::string_view path, std::string_view content, std::string_view sha256_hex = {});
  /// Writes checksums.sha256 and completes the output.
  void finish();

  /// Files written so far, checksums.sha256 included after finish().
  std::uint64_t files() const { return files_; }
  /// "sha256:<hex>" of the output file itself (a portable archive) after finish(); empty for a
  /// directory.
  virtual std::string output_digest() const { return {}; }

 protected:
  BundleFileWriter();
  virtual void write_file(std::string_view path, std::string_view content) = 0;
  /// Writes the file `path` whose `size` bytes are read from `source`.
  virtual void write_file_from(std::string_view path, std::FILE* source, std::uint64_t size) = 0;
  virtual void complete() = 0;

 private:
  struct SpoolCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, SpoolCloser> spool_;
  std::uint64_t spool_bytes_ = 0;
  std::uint64_t files_ = 0;
};

/// Files under `root`, an existing empty directory.
std::unique_ptr<BundleFileWriter> make_directory_writer(const std::filesystem::path& root);

/// One gzip-compressed pax tar archive at `file` (created), deterministic: entries in the order
/// added, every entry a regular file with mode 0644, owner 0:0 without names, and modification
/// time `mtime_unix_seconds`; the gzip header carries no time and no file name.
std::unique_ptr<BundleFileWriter> make_tar_gz_writer(const std::filesystem::path& file,
                                                     std::int64_t mtime_unix_seconds);

}  // namespace stella::host
