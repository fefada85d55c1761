// Keeps an importer within the ImportLimits the host set: entries, total bytes, the size of each
// file, and for compressed sources the expansion ratio. Every refusal names the limit, what the
// source needed, and the `stella` option that raises the limit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "stella/sdk/storage_importer.hpp"

namespace stella_importer {

/// What kind of file a size limit applies to.
enum class FileClass {
  /// manifest.json, bundle.json, proofs, keys, attestations, schemas (max_json_bytes).
  document = 1,
  /// An artifact's bytes (max_artifact_bytes).
  artifact = 2,
};

/// Thread-safety: one thread. Failure: every check throws stella::sdk::Error(invalid_input).
class ImportBudget {
 public:
  ImportBudget(const stella::sdk::ImportLimits& limits, std::string source);

  /// One more entry (file, directory, archive member) named `path`.
  void count_entry(std::string_view path);
  /// Refuses a file of `file_class` larger than its limit, before it is read.
  void check_file_size(std::string_view path, std::uint64_t size, FileClass file_class) const;
  /// `size` more bytes of content in the source as a whole.
  void count_bytes(std::string_view path, std::uint64_t size);
  /// check_file_size, then count_bytes.
  void admit_file(std::string_view path, std::uint64_t size, FileClass file_class);
  /// For a compressed source: `expanded` bytes came out of `compressed` bytes so far.
  void check_expansion(std::uint64_t compressed, std::uint64_t expanded, std::string_view path);

  std::uint64_t file_cap(FileClass file_class) const;
  const std::string& source() const { return source_; }

 private:
  stella::sdk::ImportLimits limits_;
  std::string source_;
  std::uint64_t entries_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace stella_importer
