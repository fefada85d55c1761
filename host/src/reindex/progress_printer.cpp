#include "reindex/progress_printer.hpp"

#include <unistd.h>

#include <ostream>

#include <rapidjson/document.h>

#include "reindex/json_fields.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/reindex/reindex_status.hpp"

namespace stella::host {
namespace {

/// Plain lines (not a terminal) come at most this often, so logs stay readable.
constexpr auto kPlainLineInterval = std::chrono::seconds(5);

}  // namespace

ProgressPrinter::ProgressPrinter(std::ostream& err, const std::string& progress_format, bool quiet)
    : err_(err),
      quiet_(quiet),
      json_(progress_format == "json"),
      bar_(progress_format == "auto" && ::isatty(STDERR_FILENO) == 1) {}

ProgressPrinter::~ProgressPrinter() {
  end_bar();
}

void ProgressPrinter::end_bar() {
  if (bar_open_) {
    err_ << '\n' << std::flush;
    bar_open_ = false;
  }
}

void ProgressPrinter::run_started(std::int64_t run_id, int generation, const std::string& algorithm,
                                  bool joined) {
  if (quiet_) {
    return;
  }
  if (json_) {
    rapidjson::Document event(rapidjson::kObjectType);
    auto& allocator = event.GetAllocator();
    add_string(event, "event", "run", allocator);
    add_int(event, "runId", run_id, allocator);
    add_int(event, "generation", generation, allocator);
    add_string(event, "algorithm", algorithm, allocator);
    add_bool(event, "joined", joined, allocator);
    err_ << json_to_string(event, JsonLayout::compact) << '\n' << std::flush;
    return;
  }
  err_ << "reindex: " << (joined ? "joined" : "started") << " run " << run_id
       << " building generation " << generation << " (" << algorithm << ")\n"
       << std::flush;
}

void ProgressPrinter::progress(const ReindexProgressSample& sample) {
  if (quiet_) {
    return;
  }
  if (json_) {
    rapidjson::Document event(rapidjson::kObjectType);
    auto& allocator = event.GetAllocator();
    add_string(event, "event", "progress", allocator);
    add_int(event, "runId", sample.run_id, allocator);
    add_int(event, "batchesDone", sample.batches_done, allocator);
    add_int(event, "batchesTotal", sample.batches_total, allocator);
    add_int(event, "artifactsDone", sample.artifacts_done, allocator);
    add_int(event, "artifactsTotal", sample.artifacts_planned, allocator);
    add_double(event, "artifactsPerSecond", sample.artifacts_per_second, allocator);
    err_ << json_to_string(event, JsonLayout::compact) << '\n' << std::flush;
    return;
  }
  if (bar_) {
    err_ << "\r\033[Kreindex: " << progress_bar_text(sample) << std::flush;
    bar_open_ = true;
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  const bool finished = sample.batches_done >= sample.batches_total;
  if (now - last_line_ < kPlainLineInterval && !finished) {
    return;
  }
  last_line_ = now;
  err_ << "reindex: " << progress_bar_text(sample) << '\n' << std::flush;
}

void ProgressPrinter::sealing() {
  if (quiet_) {
    return;
  }
  end_bar();
  if (json_) {
    err_ << "{\"event\":\"sealing\"}\n" << std::flush;
    return;
  }
  // "Sealing" only in the sense of trying: a --since run that leaves records uncovered does not
  // seal, and says so next.
  err_ << "reindex: every batch done; covering late arrivals, then sealing if every record is "
          "covered\n"
       << std::flush;
}

}  // namespace stella::host
