#include "store/cluster_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "stella/sdk/error.hpp"

namespace stella::host {

namespace {
constexpr mode_t kLockFileMode = 0600;
}  // namespace

ClusterLock::ClusterLock(const std::filesystem::path& lock_file) {
  descriptor_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kLockFileMode);
  if (descriptor_ < 0) {
    throw sdk::Error(
        sdk::ErrorCode::refused,
        "cannot open the cluster lock file " + lock_file.string() + ": " + std::strerror(errno),
        "check that the state directory (--home / STELLA_HOME) is writable by you");
  }
  while (::flock(descriptor_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      const int error = errno;
      ::close(descriptor_);
      throw sdk::Error(sdk::ErrorCode::refused,
                       "cannot lock " + lock_file.string() + ": " + std::strerror(error));
    }
  }
}

ClusterLock::~ClusterLock() {
  if (descriptor_ >= 0) {
    ::close(descriptor_);  // closing the only descriptor releases the flock
  }
}

}  // namespace stella::host
