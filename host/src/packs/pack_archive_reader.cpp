// Reading a pack archive as untrusted input: only the pack layout, only plain files, bounded size.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <vector>

#include "stella/host/packs/pack_archive.hpp"
#include "stella/host/packs/pack_manifest.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::size_t kReadBlockBytes = 64 * 1024;
/// plugins/<id>/<file>: three components exactly.
constexpr std::size_t kPluginFileComponents = 3;

struct ArchiveDeleter {
  void operator()(archive* a) const noexcept { archive_read_free(a); }
};

std::vector<std::string> split_components(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream stream(path);
  std::string part;
  while (std::getline(stream, part, '/')) {
    parts.push_back(part);
  }
  return parts;
}

/// Why `path` may not be in a pack, or empty when it may. Directory entries end in '/'.
std::string layout_problem(std::string path, bool is_directory) {
  if (path.empty()) {
    return "an empty path";
  }
  if (path.front() == '/') {
    return "an absolute path";
  }
  if (is_directory && path.back() == '/') {
    path.pop_back();
  }
  const auto parts = split_components(path);
  for (const auto& part : parts) {
    if (part == "..") {
      return "a '..' component (path traversal)";
    }
    if (part.empty() || part == ".") {
      return "an empty or '.' component";
    }
  }
  if (is_directory) {
    const bool plugins_folder = parts.size() == 1 && parts[0] == kPackPluginsFolder;
    const bool plugin_folder = parts.size() == 2 && parts[0] == kPackPluginsFolder;
    return plugins_folder || plugin_folder ? "" : "a folder outside plugins/<id>/";
  }
  if (parts.size() == 1 &&
      (parts[0] == kPackManifestFileName || parts[0] == kPackSignatureFileName)) {
    return "";
  }
  if (parts.size() == kPluginFileComponents && parts[0] == kPackPluginsFolder) {
    return "";
  }
  return "a file outside the pack layout (expected pack-manifest.json, pack-manifest.sig or "
         "plugins/<id>/<file>)";
}

[[noreturn]] void refuse(const std::filesystem::path& archive_path, const std::string& what) {
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   archive_path.string() + ": " + what + "; nothing was installed or trusted",
                   "do not use this file: get the pack again from its publisher (a pack is made "
                   "only by 'stella plugins pack')");
}

}  // namespace

PackContents read_pack_archive(const std::filesystem::path& archive_path) {
  std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), archive_path.c_str(), kReadBlockBytes) != ARCHIVE_OK) {
    refuse(archive_path, std::string("not a readable tar.gz pack: ") +
                             (archive_error_string(a.get()) ? archive_error_string(a.get()) : ""));
  }
  PackContents contents;
  std::size_t total = 0;
  archive_entry* entry = nullptr;
  for (;;) {
    const int status = archive_read_next_header(a.get(), &entry);
    if (status == ARCHIVE_EOF) {
      break;
    }
    if (status != ARCHIVE_OK) {
      refuse(archive_path,
             std::string("damaged or truncated archive: ") +
                 (archive_error_string(a.get()) ? archive_error_string(a.get()) : "unknown error"));
    }
    const char* raw_name = archive_entry_pathname(entry);
    const std::string path = raw_name ? raw_name : "";
    const auto type = archive_entry_filetype(entry);
    if (archive_entry_hardlink(entry) != nullptr || archive_entry_symlink(entry) != nullptr ||
        (type != AE_IFREG && type != AE_IFDIR)) {
      refuse(
          archive_path,
          "entry '" + path + "' is a link or special file; expected only plain files and folders");
    }
    if (const std::string problem = layout_problem(path, type == AE_IFDIR); !problem.empty()) {
      refuse(archive_path, "entry '" + path + "' has " + problem);
    }
    if (type == AE_IFDIR) {
      continue;
    }
    const la_int64_t declared = archive_entry_size(entry);
    if (declared < 0 || static_cast<std::size_t>(declared) > kMaxPackBytes - total) {
      refuse(archive_path, "entry '" + path + "' would make the pack larger than " +
                               std::to_string(kMaxPackBytes) + " bytes");
    }
    std::string data;
    // Reserved up to one block only: the declared size is the archive's word, not its bytes.
    data.reserve(std::min(static_cast<std::size_t>(declared), kReadBlockBytes));
    std::vector<char> block(kReadBlockBytes);
    for (;;) {
      const la_ssize_t got = archive_read_data(a.get(), block.data(), block.size());
      if (got < 0) {
        refuse(archive_path, "entry '" + path + "' is damaged or truncated: " +
                                 (archive_error_string(a.get()) ? archive_error_string(a.get())
                                                                : "unknown error"));
      }
      if (got == 0) {
        break;
      }
      data.append(block.data(), static_cast<std::size_t>(got));
      if (data.size() > static_cast<std::size_t>(declared)) {
        refuse(archive_path, "entry '" + path + "' holds more bytes than its header declares");
      }
    }
    if (data.size() != static_cast<std::size_t>(declared)) {
      refuse(archive_path, "entry '" + path + "' is truncated: " + std::to_string(data.size()) +
                               " of " + std::to_string(declared) + " bytes");
    }
    total += data.size();
    if (!contents.files.emplace(path, std::move(data)).second) {
      refuse(archive_path, "entry '" + path + "' appears twice; expected each file once");
    }
  }
  return contents;
}

}  // namespace stella::host
