#include "file_warmer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "import_budget.hpp"
#include "secure_tree.hpp"

namespace stella_importer {

FileWarmer::FileWarmer(std::string root, const stella::sdk::ImportLimits& limits, unsigned threads)
    : root_(std::move(root)), limits_(limits) {
  for (unsigned i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { work(); });
  }
}

FileWarmer::~FileWarmer() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  has_work_.notify_all();
  for (std::thread& thread : threads_) {
    thread.join();
  }
}

void FileWarmer::warm(std::string path) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= kMaxQueued) {
      return;
    }
    queue_.push_back(std::move(path));
  }
  has_work_.notify_one();
}

void FileWarmer::work() {
  try {
    // A tree of its own per thread: SecureTree keeps the directories of its last path open and is
    // used by one thread at a time.
    ImportBudget budget(limits_, root_);
    SecureTree tree(root_, budget);
    while (true) {
      std::string path;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        has_work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) {
          return;
        }
        path = std::move(queue_.front());
        queue_.pop_front();
      }
      try {
        const int fd = tree.open_file(path);
        if (fd >= 0) {
          ::posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
          ::close(fd);
        }
      } catch (...) {
        // The importer's own read of this file finds and names whatever is wrong with it.
      }
    }
  } catch (...) {
    // Not even the root opens: the importer's own SecureTree reports that.
  }
}

}  // namespace stella_importer
