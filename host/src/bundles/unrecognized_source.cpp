#include "bundles/unrecognized_source.hpp"

#include "stella/host/merkle/tree_hasher.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <set>

namespace stella::host {
namespace {

namespace fs = std::filesystem;

/// Entries of a directory named in the description (in name order); the rest are counted.
constexpr std::size_t kEntriesNamed = 5;
/// Leading bytes of a file shown in hex.
constexpr std::size_t kBytesShown = 8;
constexpr unsigned char kGzipMagic0 = 0x1f;
constexpr unsigned char kGzipMagic1 = 0x8b;

std::string describe_directory(const fs::path& directory) {
  std::error_code error;
  std::set<std::string> names;
  std::size_t count = 0;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    ++count;
    names.insert(it->path().filename().string() + (it->is_directory(error) ? "/" : ""));
    if (names.size() > kEntriesNamed) {
      names.erase(std::prev(names.end()));
    }
  }
  if (error) {
    return "";
  }
  if (count == 0) {
    return "it is an empty directory";
  }
  std::string listed;
  for (const std::string& name : names) {
    listed += (listed.empty() ? "" : ", ") + name;
  }
  if (count > names.size()) {
    listed += " and " + std::to_string(count - names.size()) + " more";
  }
  return "it is a directory holding " + listed +
         (fs::exists(directory / "manifest.json", error) ? "" : "; it has no manifest.json");
}

std::string describe_file(const fs::path& file, std::uintmax_t size) {
  if (size == 0) {
    return "it is an empty file (0 bytes): was the copy complete?";
  }
  std::ifstream in(file, std::ios::binary);
  std::array<char, kBytesShown> bytes{};
  in.read(bytes.data(), bytes.size());
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got == 0) {
    return "";
  }
  if (got >= 2 && static_cast<unsigned char>(bytes[0]) == kGzipMagic0 &&
      static_cast<unsigned char>(bytes[1]) == kGzipMagic1) {
    return "it is gzip data (" + std::to_string(size) +
           " bytes), but not a tar archive starting with manifest.json as a portable export does";
  }
  return "it is a file of " + std::to_string(size) + " bytes that is not gzip data (it starts " +
         leading_bytes_hex(std::string_view(bytes.data(), got), kBytesShown) +
         "; a portable archive starts 1f 8b)";
}

}  // namespace

std::string describe_unrecognized_source(const std::string& location) {
  std::error_code error;
  const fs::file_status status = fs::status(location, error);
  if (error) {
    return "";
  }
  if (fs::is_directory(status)) {
    return describe_directory(location);
  }
  if (fs::is_regular_file(status)) {
    const std::uintmax_t size = fs::file_size(location, error);
    return error ? "" : describe_file(location, size);
  }
  return "it is neither a directory nor a regular file";
}

}  // namespace stella::host
