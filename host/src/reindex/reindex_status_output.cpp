// Rendering reindex progress: a bar line, a text block and one-line JSON.
#include <cmath>
#include <ostream>

#include <rapidjson/document.h>

#include "reindex/json_fields.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/reindex/reindex_plan.hpp"
#include "stella/host/reindex/reindex_status.hpp"

namespace stella::host {
namespace {

constexpr int kBarWidth = 30;
constexpr int kPercent = 100;

std::optional<std::string_view> optional_view(const std::optional<std::string>& text) {
  return text ? std::optional<std::string_view>(*text) : std::nullopt;
}

int percent_done(const ReindexProgressSample& sample) {
  if (sample.artifacts_planned <= 0) {
    return sample.batches_total > 0 && sample.batches_done < sample.batches_total ? 0 : kPercent;
  }
  const std::int64_t done = std::min(sample.artifacts_done, sample.artifacts_planned);
  return static_cast<int>(done * kPercent / sample.artifacts_planned);
}

std::int64_t rounded_rate(double rate) {
  return static_cast<std::int64_t>(std::llround(rate));
}

/// The run's progress as shown: a run that is not going on (interrupted, sealed, incomplete) has no
/// time left to estimate.
ReindexProgressSample shown_sample(const ReindexStatus& status) {
  ReindexProgressSample sample = status.progress;
  if (!status.live()) {
    sample.eta_seconds.reset();
  }
  return sample;
}

}  // namespace

std::string progress_bar_text(const ReindexProgressSample& sample) {
  const int percent = percent_done(sample);
  const int filled = percent * kBarWidth / kPercent;
  std::string line = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                     std::string(static_cast<std::size_t>(kBarWidth - filled), '.') + "] " +
                     std::to_string(percent) + "% " + with_thousands(sample.artifacts_done) + "/" +
                     with_thousands(sample.artifacts_planned) + " artifacts, " +
                     with_thousands(sample.batches_done) + "/" +
                     with_thousands(sample.batches_total) + " batches";
  if (sample.artifacts_per_second > 0) {
    line += ", " + with_thousands(rounded_rate(sample.artifacts_per_second)) + " artifacts/s";
  }
  if (sample.eta_seconds && sample.batches_done < sample.batches_total) {
    line += ", ETA " + duration_text(*sample.eta_seconds);
  }
  return line;
}

std::string reindex_status_json(const ReindexStatus& status) {
  rapidjson::Document root(rapidjson::kObjectType);
  auto& allocator = root.GetAllocator();
  add_string(root, "kind", "reindex-progress", allocator);
  add_bool(root, "anyRun", status.any_run, allocator);
  if (!status.any_run) {
    return json_to_string(root, JsonLayout::compact);
  }
  add_int(root, "runId", status.run_id, allocator);
  add_string(root, "status", status.status, allocator);
  add_string(root, "runState", status.run_state, allocator);
  add_int(root, "generation", status.generation, allocator);
  add_string(root, "algorithm", status.algorithm, allocator);
  add_string(root, "generationState", status.generation_state, allocator);
  add_int(root, "fromGeneration", status.from_generation, allocator);
  add_string(root, "fromAlgorithm", status.from_algorithm, allocator);
  add_optional_string(root, "since", optional_view(status.since), allocator);
  add_int(root, "batchSize", status.batch_size, allocator);
  add_string(root, "startedAt", status.started_at, allocator);
  add_string(root, "startedBy", status.started_by, allocator);
  add_optional_string(root, "finishedAt", optional_view(status.finished_at), allocator);
  const ReindexProgressSample sample = shown_sample(status);
  add_int(root, "batchesDone", sample.batches_done, allocator);
  add_int(root, "batchesTotal", sample.batches_total, allocator);
  add_int(root, "artifactsDone", sample.artifacts_done, allocator);
  add_int(root, "artifactsTotal", sample.artifacts_planned, allocator);
  add_int(root, "bytesDone", sample.bytes_done, allocator);
  add_int(root, "percent", percent_done(sample), allocator);
  add_double(root, "artifactsPerSecond",
             static_cast<double>(rounded_rate(sample.artifacts_per_second)), allocator);
  rapidjson::Value eta;
  if (sample.eta_seconds && sample.batches_done < sample.batches_total) {
    eta.SetDouble(std::round(*sample.eta_seconds));
  }
  add_value(root, "etaSeconds", eta, allocator);
  rapidjson::Value missing;
  if (status.missing_artifacts) {
    missing.SetInt64(*status.missing_artifacts);
  }
  add_value(root, "missingArtifacts", missing, allocator);
  add_optional_string(root, "globalRoot", optional_view(status.global_root), allocator);
  rapidjson::Value workers(rapidjson::kArrayType);
  for (const ReindexWorkerStatus& worker : status.workers) {
    rapidjson::Value item(rapidjson::kObjectType);
    add_string(item, "worker", worker.worker_id, allocator);
    add_string(item, "host", worker.host, allocator);
    add_int(item, "pid", worker.pid, allocator);
    add_string(item, "state", worker.state, allocator);
    add_bool(item, "alive", worker.alive, allocator);
    add_int(item, "batchesDone", worker.batches_done, allocator);
    add_int(item, "artifactsDone", worker.artifacts_done, allocator);
    workers.PushBack(item, allocator);
  }
  add_value(root, "workers", workers, allocator);
  add_string(root, "advice", status.advice, allocator);
  return json_to_string(root, JsonLayout::compact);
}

void write_reindex_status_text(std::ostream& out, const ReindexStatus& status) {
  if (!status.any_run) {
    out << "no reindex has run on this store\n";
    return;
  }
  const ReindexProgressSample sample = shown_sample(status);
  out << "reindex run " << status.run_id << ": " << status.status << "\n";
  out << "  generation:  " << status.generation << " (" << status.algorithm << ", "
      << status.generation_state << "), from generation " << status.from_generation << " ("
      << status.from_algorithm << ")\n";
  out << "  since:       " << (status.since ? *status.since : std::string("(every record)"))
      << "; batch size " << with_thousands(status.batch_size) << '\n';
  out << "  started:     " << status.started_at << " by " << status.started_by << '\n';
  if (status.finished_at) {
    out << "  finished:    " << *status.finished_at << '\n';
  }
  out << "  progress:    " << progress_bar_text(sample) << '\n';
  out << "  done:        " << with_thousands(sample.batches_done) << "/"
      << with_thousands(sample.batches_total) << " batches, "
      << with_thousands(sample.artifacts_done) << "/" << with_thousands(sample.artifacts_planned)
      << " artifacts, " << with_thousands(sample.bytes_done) << " bytes\n";
  out << "  rate:        "
      << (sample.artifacts_per_second > 0
              ? with_thousands(rounded_rate(sample.artifacts_per_second)) + " artifacts/s"
              : std::string("(no batch done yet)"))
      << '\n';
  if (sample.eta_seconds && sample.batches_done < sample.batches_total) {
    out << "  ETA:         " << duration_text(*sample.eta_seconds) << '\n';
  }
  std::int64_t alive = 0;
  for (const ReindexWorkerStatus& worker : status.workers) {
    alive += worker.alive ? 1 : 0;
  }
  out << "  workers:     " << alive << " alive of " << status.workers.size() << '\n';
  if (status.global_root) {
    out << "  global root: " << *status.global_root << '\n';
  }
  if (!status.advice.empty()) {
    out << "  " << status.advice << '\n';
  }
}

}  // namespace stella::host
