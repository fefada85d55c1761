#include "bundles/importer_context.hpp"

#include <ostream>
#include <thread>

#include "core/json_event_line.hpp"
#include "core/log_level_name.hpp"
#include "core/test_delay.hpp"

namespace stella::host {
namespace {

constexpr std::chrono::seconds kProgressInterval{1};

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
      err_ << json_event_line("log", task_, [&](auto& document, auto& allocator) {
        document.AddMember("level", rapidjson::StringRef(log_level_name(level)), allocator);
        document.AddMember(
            "message",
            rapidjson::Value(message.data(), static_cast<rapidjson::SizeType>(message.size()),
                             allocator),
            allocator);
      }) << std::flush;
      return;
    }
    err_ << "stella: importer " << log_level_name(level) << ": " << message << '\n';
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
      err_ << json_event_line("progress", task_, [&](auto& document, auto& allocator) {
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
      err_ << json_event_line("note", task_, [&](auto& document, auto& allocator) {
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
