#include "stella/host/packs/pack_installer.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "stella/host/packs/pack_archive.hpp"
#include "stella/host/packs/pack_verification.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr mode_t kFileMode = 0644;
constexpr mode_t kLibraryMode = 0755;
constexpr const char* kStagingTemplate = ".stella-install-XXXXXX";
constexpr const char* kPreviousPrefix = "previous-";

void write_file(const std::filesystem::path& path, const std::string& bytes, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  bool ok = fd >= 0;
  if (ok) {
    ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
         ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  }
  const int saved = errno;
  if (fd >= 0) {
    ::close(fd);
  }
  if (!ok) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     path.string() + ": cannot write: " + std::strerror(saved),
                     "check free space and that the plugin directory is writable");
  }
}

/// Removes the staging folder on every path out of install_pack.
struct StagingFolder {
  std::filesystem::path path;
  ~StagingFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

}  // namespace

InstalledPack install_pack(const std::filesystem::path& archive,
                           const std::filesystem::path& plugin_directory,
                           const std::optional<std::filesystem::path>& trusted_keys) {
  const PackContents contents = read_pack_archive(archive);
  PackVerification verification = verify_pack(contents, trusted_keys);
  if (!verification.problems.empty()) {
    std::string list;
    for (const auto& problem : verification.problems) {
      list += "\n  " + describe_pack_problem(problem);
    }
    throw sdk::Error(sdk::ErrorCode::verification_failed,
                     archive.string() + ": does not verify; nothing was installed:" + list,
                     verification.problems.front().remedy);
  }
  const PackManifest& manifest = *verification.manifest;
  std::error_code error;
  std::filesystem::create_directories(plugin_directory, error);
  if (error || !std::filesystem::is_directory(plugin_directory)) {
    throw sdk::Error(
        sdk::ErrorCode::invalid_input,
        plugin_directory.string() + ": cannot create the plugin directory: " + error.message(),
        "choose a writable --plugin-dir");
  }
  // Staging inside the plugin directory: same file system, so every rename below is atomic.
  std::string staging_name = (plugin_directory / kStagingTemplate).string();
  if (::mkdtemp(staging_name.data()) == nullptr) {
    throw sdk::Error(
        sdk::ErrorCode::internal,
        plugin_directory.string() + ": cannot create a staging folder: " + std::strerror(errno),
        "check that the plugin directory is writable");
  }
  StagingFolder staging{staging_name};
  const std::string& manifest_bytes = contents.files.at(kPackManifestFileName);
  const std::string& signature_bytes = contents.files.at(kPackSignatureFileName);
  for (const auto& plugin : manifest.plugins) {
    const std::filesystem::path folder = staging.path / plugin.manifest.id;
    std::filesystem::create_directory(folder);
    for (const auto& file : plugin.files) {
      const std::string& bytes = contents.files.at(std::string(kPackPluginsFolder) + "/" +
                                                   plugin.manifest.id + "/" + file.path);
      write_file(folder / file.path, bytes,
                 file.path == plugin.manifest.library ? kLibraryMode : kFileMode);
    }
    // Kept beside the plugin so the loader can check it again, before every load.
    write_file(folder / kPackManifestFileName, manifest_bytes, kFileMode);
    write_file(folder / kPackSignatureFileName, signature_bytes, kFileMode);
  }

  InstalledPack installed{manifest, verification.key_id, {}};
  struct Move {
    std::filesystem::path target;
    std::filesystem::path previous;  // empty when nothing was there
  };
  std::vector<Move> done;
  try {
    for (const auto& plugin : manifest.plugins) {
      const std::filesystem::path target = plugin_directory / plugin.manifest.id;
      Move move{target, {}};
      if (std::filesystem::exists(std::filesystem::symlink_status(target))) {
        move.previous = staging.path / (kPreviousPrefix + plugin.manifest.id);
        std::filesystem::rename(target, move.previous);
      }
      try {
        std::filesystem::rename(staging.path / plugin.manifest.id, target);
      } catch (...) {
        if (!move.previous.empty()) {
          std::filesystem::rename(move.previous, target);
        }
        throw;
      }
      done.push_back(move);
      installed.plugin_directories.push_back(target);
    }
  } catch (const std::filesystem::filesystem_error& e) {
    // Put back what was there before, newest first, so the directory is as it was.
    for (auto it = done.rbegin(); it != done.rend(); ++it) {
      std::error_code ignored;
      std::filesystem::remove_all(it->target, ignored);
      if (!it->previous.empty()) {
        std::filesystem::rename(it->previous, it->target, ignored);
      }
    }
    throw sdk::Error(
        sdk::ErrorCode::internal,
        plugin_directory.string() + ": installing the pack failed and was undone: " + e.what(),
        "check that the plugin directory is writable and not in use, then retry");
  }
  return installed;
}

}  // namespace stella::host
