#include "import_budget.hpp"

#include "safe_path.hpp"
#include "stella/sdk/error.hpp"

namespace stella_importer {
namespace {

namespace sdk = stella::sdk;

[[noreturn]] void over_limit(const std::string& source, const std::string& what,
                             const char* option) {
  throw sdk::Error(sdk::ErrorCode::invalid_input, source + ": " + what + "; nothing was imported",
                   std::string("if the source is trusted and really this large, raise the limit "
                               "with ") +
                       option);
}

}  // namespace

ImportBudget::ImportBudget(const sdk::ImportLimits& limits, std::string source)
    : limits_(limits), source_(std::move(source)) {}

void ImportBudget::count_entry(std::string_view path) {
  if (++entries_ > limits_.max_entries) {
    over_limit(source_,
               "more than " + std::to_string(limits_.max_entries) + " entries (at " +
                   printable(path) + ")",
               "--max-entries");
  }
}

std::uint64_t ImportBudget::file_cap(FileClass file_class) const {
  return file_class == FileClass::artifact ? limits_.max_artifact_bytes : limits_.max_json_bytes;
}

void ImportBudget::admit_file(std::string_view path, std::uint64_t size, FileClass file_class) {
  check_file_size(path, size, file_class);
  count_bytes(path, size);
}

void ImportBudget::check_file_size(std::string_view path, std::uint64_t size,
                                   FileClass file_class) const {
  const std::uint64_t cap = file_cap(file_class);
  if (size > cap) {
    const bool artifact = file_class == FileClass::artifact;
    over_limit(source_,
               printable(path) + " is " + std::to_string(size) + " bytes; " +
                   (artifact ? "an artifact" : "a manifest or other document") +
                   " may be at most " + std::to_string(cap) + " bytes",
               artifact ? "--max-artifact-bytes" : "--max-json-bytes");
  }
}

void ImportBudget::count_bytes(std::string_view path, std::uint64_t size) {
  bytes_ += size;
  if (bytes_ > limits_.max_total_bytes) {
    over_limit(source_,
               "its files add up to more than " + std::to_string(limits_.max_total_bytes) +
                   " bytes (at " + printable(path) + ")",
               "--max-bytes");
  }
}

void ImportBudget::check_expansion(std::uint64_t compressed, std::uint64_t expanded,
                                   std::string_view path) {
  if (expanded > limits_.max_total_bytes) {
    over_limit(source_,
               "it decompresses to more than " + std::to_string(limits_.max_total_bytes) +
                   " bytes (at " + printable(path) + ")",
               "--max-bytes");
  }
  if (expanded <= limits_.ratio_floor_bytes || compressed == 0) {
    return;
  }
  if (expanded / compressed > limits_.max_compression_ratio) {
    over_limit(source_,
               "it expands " + std::to_string(expanded / compressed) + ":1 (" +
                   std::to_string(expanded) + " bytes out of " + std::to_string(compressed) +
                   " compressed, at " + printable(path) + "); more than " +
                   std::to_string(limits_.max_compression_ratio) +
                   ":1 is treated as a decompression bomb",
               "--max-ratio");
  }
}

}  // namespace stella_importer
