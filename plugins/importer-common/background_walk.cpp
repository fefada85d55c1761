#include "background_walk.hpp"

#include <algorithm>

#include "import_budget.hpp"
#include "secure_tree.hpp"

namespace stella_importer {
namespace {

/// Thrown inside the walk's callback to end it early.
struct WalkStopped {};

}  // namespace

BackgroundWalk::BackgroundWalk(std::string root, const stella::sdk::ImportLimits& limits,
                               std::string unlisted)
    : unlisted_(std::move(unlisted)) {
  thread_ = std::thread([this, root = std::move(root), limits] { run(root, limits); });
}

BackgroundWalk::~BackgroundWalk() {
  stopping_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
}

void BackgroundWalk::run(const std::string& root, const stella::sdk::ImportLimits& limits) {
  try {
    ImportBudget budget(limits, root);
    SecureTree tree(root, budget);
    tree.walk([&](const std::string& path, std::uint64_t) {
      if (stopping_) {
        throw WalkStopped{};
      }
      if (path != unlisted_) {
        keys_.push_back(path_key(path));
      }
    });
    std::sort(keys_.begin(), keys_.end());
    total_files_ = keys_.size();
  } catch (const WalkStopped&) {
    // The read ended first (it failed); nobody waits for the keys.
  } catch (...) {
    failure_ = std::current_exception();
    failed_ = true;
  }
}

void BackgroundWalk::rethrow_if_failed() const {
  // failed_ is set after failure_, and read (acquire) before it.
  if (failed_) {
    std::rethrow_exception(failure_);
  }
}

const std::vector<PathKey>& BackgroundWalk::finish() {
  if (thread_.joinable()) {
    thread_.join();
  }
  if (failure_) {
    std::rethrow_exception(failure_);
  }
  return keys_;
}

}  // namespace stella_importer
