#include "bundles/importer_context.hpp"

#include <ostream>

namespace stella::host {
namespace {

constexpr std::chrono::seconds kProgressInterval{1};

const char* level_name(sdk::LogLevel level) {
  switch (level) {
    case sdk::LogLevel::debug:
      return "debug";
    case sdk::LogLevel::info:
      return "info";
    case sdk::LogLevel::warning:
      return "warning";
    case sdk::LogLevel::error:
      return "error";
  }
  return "log";
}

}  // namespace

ImporterContext::ImporterContext(std::ostream& err, bool quiet)
    : err_(err), quiet_(quiet), last_report_(std::chrono::steady_clock::now()) {}

void ImporterContext::set_task(std::string task) {
  const std::lock_guard<std::mutex> lock(mutex_);
  task_ = std::move(task);
  last_report_ = std::chrono::steady_clock::now();
}

void ImporterContext::log(sdk::LogLevel level, std::string_view message) noexcept {
  if (quiet_ && level < sdk::LogLevel::warning) {
    return;
  }
  try {
    const std::lock_guard<std::mutex> lock(mutex_);
    err_ << "stella: importer " << level_name(level) << ": " << message << '\n';
  } catch (...) {
    // Logging must never break an import.
  }
}

void ImporterContext::progress(std::uint64_t done, std::uint64_t total) noexcept {
  if (quiet_) {
    return;
  }
  try {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - last_report_ < kProgressInterval) {
      return;
    }
    last_report_ = now;
    err_ << task_ << ": " << done << (total > 0 ? " of " + std::to_string(total) : std::string())
         << " files read\n";
  } catch (...) {
    // Progress must never break an import.
  }
}

}  // namespace stella::host
