// Rendering a reindex plan: JSON (schemas/reindex-plan.schema.json) and text.
#include <cmath>
#include <cstdio>
#include <ostream>

#include <rapidjson/document.h>

#include "reindex/json_fields.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/reindex/reindex_plan.hpp"
#include "stella/host/reindex/reindex_runner.hpp"

namespace stella::host {
namespace {

constexpr int kPlanFormatVersion = 1;
constexpr double kSecondsPerMinute = 60;
constexpr double kSecondsPerHour = 3600;

rapidjson::Value counts_json(const RecordCounts& counts, JsonAllocator& allocator) {
  rapidjson::Value object(rapidjson::kObjectType);
  add_int(object, "tenants", counts.tenants, allocator);
  add_int(object, "bundles", counts.bundles, allocator);
  add_int(object, "artifacts", counts.artifacts, allocator);
  add_int(object, "bytes", counts.bytes, allocator);
  return object;
}

std::optional<std::string_view> optional_view(const std::optional<std::string>& text) {
  return text ? std::optional<std::string_view>(*text) : std::nullopt;
}

/// Seconds rounded to milliseconds: a plan is read by people and diffed, not integrated.
double rounded(double seconds) {
  constexpr double kMillis = 1000;
  return std::round(seconds * kMillis) / kMillis;
}

}  // namespace

std::string duration_text(double seconds) {
  if (seconds < 1) {
    return "under 1 s";
  }
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long hours = total / static_cast<long long>(kSecondsPerHour);
  const long long minutes =
      (total % static_cast<long long>(kSecondsPerHour)) / static_cast<long long>(kSecondsPerMinute);
  const long long rest = total % static_cast<long long>(kSecondsPerMinute);
  std::string text = "about ";
  if (hours > 0) {
    text += std::to_string(hours) + " h " + std::to_string(minutes) + " min";
  } else if (minutes > 0) {
    text += std::to_string(minutes) + " min " + std::to_string(rest) + " s";
  } else {
    text += std::to_string(rest) + " s";
  }
  return text;
}

std::string reindex_plan_json(const ReindexPlan& plan) {
  rapidjson::Document root(rapidjson::kObjectType);
  auto& allocator = root.GetAllocator();
  add_string(root, "kind", "reindex-plan", allocator);
  add_int(root, "formatVersion", kPlanFormatVersion, allocator);
  add_string(root, "createdAt", plan.created_at, allocator);
  add_string(root, "database", plan.database, allocator);
  add_string(root, "action", plan.action, allocator);
  add_string(root, "message", plan.message, allocator);
  add_string(root, "schemaVersion", plan.schema_version, allocator);
  add_string(root, "newSchemaVersion", plan.new_schema_version, allocator);
  add_string(root, "algorithm", plan.algorithm, allocator);
  add_string(root, "algorithmSource", plan.algorithm_source, allocator);
  add_string(root, "hasher", plan.hasher_source, allocator);

  rapidjson::Value current(rapidjson::kObjectType);
  add_int(current, "generation", plan.current_generation, allocator);
  add_string(current, "algorithm", plan.current_algorithm, allocator);
  add_string(current, "globalRoot", plan.current_global_root, allocator);
  add_value(root, "currentGeneration", current, allocator);
  rapidjson::Value target(rapidjson::kObjectType);
  add_int(target, "generation", plan.new_generation, allocator);
  add_string(target, "algorithm", plan.algorithm, allocator);
  add_value(root, "newGeneration", target, allocator);

  rapidjson::Value joins;
  if (plan.joins_run) {
    joins.SetInt64(*plan.joins_run);
  }
  add_value(root, "joinsRun", joins, allocator);
  add_optional_string(root, "since", optional_view(plan.since), allocator);
  add_int(root, "batchSize", plan.batch_size, allocator);
  add_int(root, "parallel", plan.parallel, allocator);
  add_int(root, "totalRecordsAffected", plan.affected.artifacts, allocator);
  rapidjson::Value affected = counts_json(plan.affected, allocator);
  add_value(root, "recordsAffected", affected, allocator);
  add_int(root, "batches", plan.batches, allocator);
  rapidjson::Value covered = counts_json(plan.already_covered, allocator);
  add_value(root, "alreadyCovered", covered, allocator);
  rapidjson::Value outside = counts_json(plan.outside_since, allocator);
  add_value(root, "notCoveredBeforeSince", outside, allocator);
  add_bool(root, "sealsWhenDone", plan.seals_when_done, allocator);

  rapidjson::Value estimate(rapidjson::kObjectType);
  add_double(estimate, "seconds", rounded(plan.estimate.seconds), allocator);
  add_string(estimate, "text", duration_text(plan.estimate.seconds), allocator);
  add_double(estimate, "artifactsPerSecond", std::round(plan.estimate.artifacts_per_second),
             allocator);
  add_int(estimate, "effectiveParallel", plan.estimate.effective_parallel, allocator);
  rapidjson::Value sample(rapidjson::kObjectType);
  add_int(sample, "artifacts", plan.estimate.sample_artifacts, allocator);
  add_int(sample, "bytes", plan.estimate.sample_bytes, allocator);
  add_double(sample, "seconds", rounded(plan.estimate.sample_seconds), allocator);
  add_value(estimate, "sample", sample, allocator);
  add_value(root, "estimatedDuration", estimate, allocator);
  return json_to_string(root, JsonLayout::pretty);
}

void write_reindex_plan_text(std::ostream& out, const ReindexPlan& plan) {
  out << "Reindex plan (dry run: nothing was changed)\n";
  out << "  database:                " << plan.database << '\n';
  out << "  schema version:          " << plan.schema_version << " (new schema version "
      << plan.new_schema_version << ": reindex adds a digest generation, not a schema change)\n";
  out << "  current generation:      " << plan.current_generation << " (" << plan.current_algorithm
      << "), global root " << plan.current_global_root << '\n';
  if (plan.action == "nothing-to-do") {
    out << "  " << plan.message << '\n';
    return;
  }
  out << "  new generation:          " << plan.new_generation << " (" << plan.algorithm << ", from "
      << plan.algorithm_source << "; " << plan.hasher_source << ")\n";
  if (plan.joins_run) {
    out << "  joins running run:       " << *plan.joins_run << " (its --since and --batch-size "
        << "apply)\n";
  }
  out << "  since:                   " << (plan.since ? *plan.since : std::string("(every record)"))
      << '\n';
  out << "  total records affected:  " << with_thousands(plan.affected.artifacts)
      << " artifacts in " << with_thousands(plan.affected.bundles) << " bundles of "
      << with_thousands(plan.affected.tenants) << " tenants, "
      << with_thousands(plan.affected.bytes) << " bytes\n";
  out << "  batches:                 " << with_thousands(plan.batches) << " of about "
      << with_thousands(plan.batch_size) << " artifacts, " << plan.parallel << " worker(s)\n";
  if (plan.already_covered.bundles > 0) {
    out << "  already covered:         " << with_thousands(plan.already_covered.artifacts)
        << " artifacts in " << with_thousands(plan.already_covered.bundles) << " bundles\n";
  }
  if (plan.since) {
    out << "  before --since:          " << with_thousands(plan.outside_since.artifacts)
        << " artifacts in " << with_thousands(plan.outside_since.bundles)
        << " bundles stay uncovered\n";
  }
  out << "  estimated duration:      " << duration_text(plan.estimate.seconds) << " (measured on "
      << with_thousands(plan.estimate.sample_artifacts) << " artifacts: "
      << with_thousands(static_cast<std::int64_t>(std::llround(plan.estimate.artifacts_per_second)))
      << " artifacts/s per worker)\n";
  out << "  seals when done:         " << (plan.seals_when_done ? "yes" : "no") << '\n';
  out << "  " << plan.message << '\n';
}

}  // namespace stella::host
