#include "bundles/export_target.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <atomic>
#include <cstdio>
#include <system_error>

#include "stella/host/evidence/atomic_file.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

namespace fs = std::filesystem;

std::filesystem::path sibling(const fs::path& target, const char* role) {
  static std::atomic<int> counter{0};
  return target.parent_path() / ("." + target.filename().string() + ".stella-" + role + "-" +
                                 std::to_string(::getpid()) + "-" + std::to_string(++counter));
}

bool is_empty_directory(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error) && fs::is_empty(path, error) && !error;
}

}  // namespace

ExportTarget::ExportTarget(const std::string& requested, bool portable, bool force)
    : portable_(portable), force_(force) {
  if (requested.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, "--output is empty",
                     "name the directory (or with --portable the .tar.gz file) to write");
  }
  fs::path path = fs::absolute(fs::path(requested)).lexically_normal();
  const bool names_directory = !path.has_filename();
  if (names_directory) {
    path = path.parent_path();
  }
  if (portable && names_directory) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--output " + requested + " names a directory; --portable writes one file",
                     "name the archive, e.g. --output /media/airgap-evidence.tar.gz");
  }
  target_ = path;
  std::error_code error;
  const fs::file_status status = fs::symlink_status(target_, error);
  if (fs::exists(status)) {
    if (portable && fs::is_directory(status)) {
      throw sdk::Error(
          sdk::ErrorCode::invalid_input,
          "--output " + target_.string() + " is a directory; --portable writes one file",
          "name the archive file, e.g. " + (target_ / "evidence.tar.gz").string());
    }
    if (portable && !fs::is_regular_file(status)) {
      // The archive is renamed over --output: a device, FIFO or link there would be replaced.
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--output " + target_.string() +
                           " is not a regular file (a device, FIFO, socket or symbolic link), "
                           "which the archive would replace",
                       "name a new file, e.g. /media/airgap-evidence.tar.gz");
    }
    if (!portable && !fs::is_directory(status)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--output " + target_.string() + " exists and is not a directory",
                       "name a new or empty directory");
    }
    if (!force && !is_empty_directory(target_)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--output " + target_.string() + " is not empty; refusing to overwrite it",
                       "name a new or empty " + std::string(portable ? "file" : "directory") +
                           ", or add --force to replace it");
    }
  }
  // The directories missing above the target, outermost first: created now, removed again (when
  // still empty) if the export does not complete, so that a failed export leaves nothing behind.
  for (fs::path ancestor = target_.parent_path();
       !ancestor.empty() && !fs::exists(fs::symlink_status(ancestor, error));
       ancestor = ancestor.parent_path()) {
    created_parents_.insert(created_parents_.begin(), ancestor);
    if (ancestor == ancestor.root_path()) {
      break;
    }
  }
  fs::create_directories(target_.parent_path(), error);
  if (error) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     target_.parent_path().string() + ": cannot create: " + error.message(),
                     "check the --output path and its permissions");
  }
  staging_ = sibling(target_, "export");
  if (portable) {
    // The archive's file is created only once the store is read: a directory that takes no file
    // (/proc, a read-only mount) is found now, before any work, as for a directory export.
    if (const auto problem = file_creation_problem(target_.parent_path())) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       target_.parent_path().string() + ": no file can be created there (" +
                           *problem + "); nothing was exported",
                       "check the --output path and its permissions");
    }
  } else {
    fs::create_directory(staging_, error);
    if (error) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       staging_.string() + ": cannot create: " + error.message(),
                       "check the permissions of " + target_.parent_path().string());
    }
  }
}

ExportTarget::~ExportTarget() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
    // Innermost first; fs::remove leaves a directory someone else has put something in.
    for (auto parent = created_parents_.rbegin(); parent != created_parents_.rend(); ++parent) {
      fs::remove(*parent, ignored);
    }
  }
}

void ExportTarget::require_target_still_free() const {
  if (force_) {
    return;
  }
  std::error_code error;
  if (fs::exists(fs::symlink_status(target_, error)) && !is_empty_directory(target_)) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--output " + target_.string() +
                         " was filled while this export ran (another export to the same path?); "
                         "it was not replaced, and this export was not written",
                     "export again to another path, or add --force to replace what is there");
  }
}

void ExportTarget::commit() {
  std::error_code error;
  if (!force_ && !fs::exists(fs::symlink_status(target_, error))) {
    // Nothing may appear there between the check and the rename: refuse to replace it.
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) == 0) {
      committed_ = true;
      return;
    }
    if (errno == EEXIST) {
      require_target_still_free();
    }
    // Otherwise (a file system without RENAME_NOREPLACE, say) the rename below says what failed.
  } else {
    require_target_still_free();
  }
  fs::path replaced;
  if (!portable_ && fs::exists(fs::symlink_status(target_, error)) &&
      !is_empty_directory(target_)) {
    // rename(2) replaces only an empty directory: move the old one aside first (--force).
    replaced = sibling(target_, "replaced");
    fs::rename(target_, replaced, error);
    if (error) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       target_.string() + ": cannot move the old export aside: " + error.message(),
                       "remove it by hand and export again");
    }
  }
  fs::rename(staging_, target_, error);
  if (error) {
    throw sdk::Error(
        sdk::ErrorCode::internal,
        staging_.string() + " -> " + target_.string() + ": cannot rename: " + error.message(),
        "check the permissions of " + target_.parent_path().string());
  }
  committed_ = true;
  if (!replaced.empty()) {
    fs::remove_all(replaced, error);
  }
}

}  // namespace stella::host
