#include "bundles/importer_context.hpp"

#include <rapidjson/document.h>

#include <ostream>
#include <thread>

#include "core/test_delay.hpp"
#include "stella/host/json/json_write.hpp"

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

/// One line of --progress-format json: {"event": …, "task": …, and `fill`'s members}.
template <typename Fill>
std::string json_event(const char* event, const std::string& task, Fill fill) {
  rapidjson::Document document(rapidjson::kObjectType);
  auto& allocator = document.GetAllocator();
  document.AddMember("event", rapidjson::StringRef(event), allocator);
  document.AddMember("task", rapidjson::Value(task.c_str(), allocator), allocator);
  fill(document, allocator);
  return json_to_string(document, JsonLayout::compact) + '\n';
}

}  // namespace

ImporterContext::ImporterContext(std::ostream& err, const GlobalOptions& globals,
                                 const std::atomic<bool>* cancel)
    : err_(err),
      quiet_(globals.quiet),
      json_(globals.progress_format == "json"),
      cancel_(cancel),
      // Test-only hook (docs/bundle-format.md, "Interrupted import"): every file an importer
      // reports pauses that long, so a test can signal an import mid-read.
      test_delay_(test_delay_from_environment("STELLA_TEST_IMPORT_FILE_DELAY_MS")),
      last_report_(std::chrono::steady_clock::now()) {}

bool ImporterContext::cancelled() const noexcept {
  if (cancel_ == nullptr || !cancel_->load()) {
    return false;
  }
  cancellation_seen_.store(true);
  return true;
}

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
    if (json_) {
      err_ << json_event("log", task_, [&](auto& document, auto& allocator) {
        document.AddMember("level", rapidjson::StringRef(level_name(level)), allocator);
        document.AddMember(
            "message",
            rapidjson::Value(message.data(), static_cast<rapidjson::SizeType>(message.size()),
                             allocator),
            allocator);
      }) << std::flush;
      return;
    }
    err_ << "stella: importer " << level_name(level) << ": " << message << '\n';
  } catch (...) {
    // Logging must never break an import.
  }
}

void ImporterContext::progress(std::uint64_t done, std::uint64_t total) noexcept {
  if (test_delay_.count() > 0) {
    std::this_thread::sleep_for(test_delay_);
  }
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
    if (json_) {
      err_ << json_event("progress", task_, [&](auto& document, auto& allocator) {
        document.AddMember("unit", "files", allocator);
        document.AddMember("done", static_cast<std::uint64_t>(done), allocator);
        document.AddMember("total", static_cast<std::uint64_t>(total), allocator);
      }) << std::flush;
      return;
    }
    err_ << task_ << ": " << done << (total > 0 ? " of " + std::to_string(total) : std::string())
         << " files read\n";
  } catch (...) {
    // Progress must never break an import.
  }
}

void ImporterContext::note(const std::string& line) noexcept {
  if (quiet_) {
    return;
  }
  try {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (json_) {
      err_ << json_event("note", task_, [&](auto& document, auto& allocator) {
        document.AddMember("message", rapidjson::Value(line.c_str(), allocator), allocator);
      }) << std::flush;
      return;
    }
    err_ << task_ << ": " << line << '\n';
  } catch (...) {
    // A note must never break an import.
  }
}

}  // namespace stella::host
