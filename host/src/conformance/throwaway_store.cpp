#include "conformance/throwaway_store.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Others may pass through (the server's account must reach home/), but not list or write.
constexpr mode_t kPassableDirectoryMode = 0711;

std::filesystem::path make_top_directory() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "stella-plugin-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "cannot create a temporary directory " + pattern + ": " + std::strerror(errno),
                     "set TMPDIR to a writable directory");
  }
  ::chmod(pattern.c_str(), kPassableDirectoryMode);
  return pattern;
}

/// The stores alive now, for stop_all() (a plugin hangs; the process is about to end).
std::mutex live_mutex;
std::set<ThrowawayStore*> live_stores;

}  // namespace

ThrowawayStore::ThrowawayStore(bool keep)
    : top_(make_top_directory()), home_(top_ / "home"), cluster_(home_), keep_(keep) {
  try {
    cluster_.start();
  } catch (...) {
    if (!keep_) {
      std::error_code ignored;
      std::filesystem::remove_all(top_, ignored);
    }
    throw;
  }
  const std::lock_guard<std::mutex> lock(live_mutex);
  live_stores.insert(this);
}

void ThrowawayStore::stop_all() noexcept {
  const std::lock_guard<std::mutex> lock(live_mutex);
  for (ThrowawayStore* store : live_stores) {
    store->stop_and_clean();
  }
  live_stores.clear();
}

void ThrowawayStore::stop_and_clean() noexcept {
  try {
    cluster_.stop();
  } catch (...) {
    // Removing the directory below takes the server's files away; a server that survived is
    // stopped by the removal of its data directory at its next checkpoint.
  }
  if (!keep_) {
    std::error_code ignored;
    std::filesystem::remove_all(top_, ignored);
  }
}

ThrowawayStore::~ThrowawayStore() {
  {
    const std::lock_guard<std::mutex> lock(live_mutex);
    if (live_stores.erase(this) == 0) {
      return;  // stop_all() already stopped it
    }
  }
  stop_and_clean();
}

std::string ThrowawayStore::conninfo(const std::string& database) const {
  return cluster_.conninfo(database);
}

std::filesystem::path ThrowawayStore::scratch(const std::string& name) const {
  const std::filesystem::path directory = top_ / "scratch" / name;
  std::filesystem::create_directories(directory);
  return directory;
}

}  // namespace stella::host
