// Orchestrating a reindex invocation: target, run (started or joined), batches, seal.
#include "stella/host/reindex/reindex_runner.hpp"

#include <atomic>
#include <chrono>

#include <rapidjson/document.h>

#include "migration/cancellation.hpp"
#include "reindex/batch_workers.hpp"
#include "reindex/generation_digests_table.hpp"
#include "reindex/generation_sealer.hpp"
#include "reindex/json_fields.hpp"
#include "reindex/reindex_locks.hpp"
#include "reindex/work_table.hpp"
#include "reindex/worker_heartbeat.hpp"
#include "reindex/writing_hasher_check.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/state_schema.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/migration/evidence_write_guard.hpp"
#include "stella/host/reindex/algorithm_hashers.hpp"
#include "stella/host/reindex/reindex_target.hpp"
#include "stella/host/reindex/store_generations.hpp"
#include "stella/host/store/lost_connection.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// How often the calling thread samples progress while the batches run.
constexpr int kProgressIntervalMilliseconds = 1000;

/// The run this invocation works on.
struct StartedRun {
  ReindexRunRecord run;
  bool joined = false;
};

void audit_reindex(PgConnection& connection, const std::string& operator_name,
                   const std::string& action, const ReindexRunRecord& run) {
  rapidjson::Document data(rapidjson::kObjectType);
  auto& allocator = data.GetAllocator();
  add_string(data, "action", action, allocator);
  add_int(data, "run_id", run.run_id, allocator);
  add_int(data, "generation", run.generation, allocator);
  add_string(data, "algorithm", run.algorithm, allocator);
  add_int(data, "from_generation", run.from_generation, allocator);
  add_string(data, "from_algorithm", run.from_algorithm, allocator);
  add_optional_string(data, "since",
                      run.since ? std::optional<std::string_view>(*run.since) : std::nullopt,
                      allocator);
  add_int(data, "batch_size", run.batch_size, allocator);
  add_int(data, "batches", run.planned_batches, allocator);
  add_int(data, "bundles", run.planned_bundles, allocator);
  add_int(data, "artifacts", run.planned_artifacts, allocator);
  add_int(data, "bytes", run.planned_bytes, allocator);
  append_audit_event(connection, audit_type::kReindex, operator_name,
                     json_to_string(data, JsonLayout::compact));
}

/// Under the planning lock: creates the generation if needed, then joins its running run or plans
/// a new one for what is still missing. nullopt when the store is already at the target.
std::optional<StartedRun> start_or_join(PgConnection& connection, const ReindexRequest& request,
                                        const std::string& algorithm, ReindexTarget& target) {
  PgTransaction transaction(connection);
  connection.exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(kReindexPlanLockKey)});
  // A generation built while a schema migration is unfinished would be one it does not carry.
  refuse_evidence_writes_during_migration(connection, "reindex");
  // Decided again under the lock: another process may have started or sealed it meanwhile.
  target = resolve_reindex_target(connection, algorithm);
  if (target.action == ReindexAction::already_current) {
    transaction.commit();
    return std::nullopt;
  }
  if (target.action == ReindexAction::start_new) {
    connection.exec(
        "INSERT INTO evidence.digest_generations (generation, algorithm, state, active) "
        "VALUES ($1, $2, 'building', false)",
        {std::to_string(target.generation), target.algorithm});
  }
  // Also when continuing: a generation left building by an earlier stella has no table yet.
  create_generation_digests_table(connection, target.generation);
  StartedRun started;
  const std::optional<ReindexRunRecord> latest =
      latest_run_of_generation(connection, target.generation);
  if (latest && latest->state == "running") {
    started.run = *latest;
    started.joined = true;
  } else {
    RunParameters parameters;
    parameters.generation = target.generation;
    parameters.from_generation = target.active.generation;
    parameters.algorithm = target.algorithm;
    parameters.from_algorithm = target.active.algorithm;
    parameters.since = request.since;
    parameters.batch_size = request.batch_size;
    parameters.operator_name = request.operator_name;
    started.run = insert_run(connection, parameters);
    audit_reindex(connection, request.operator_name,
                  target.action == ReindexAction::start_new ? "started" : "continued", started.run);
  }
  transaction.commit();
  return started;
}

ReindexOutcome base_outcome(const ReindexRunRecord& run, bool joined) {
  ReindexOutcome outcome;
  outcome.algorithm = run.algorithm;
  outcome.generation = run.generation;
  outcome.from_generation = run.from_generation;
  outcome.run_id = run.run_id;
  outcome.joined = joined;
  outcome.since = run.since;
  return outcome;
}

std::string incomplete_message(const ReindexOutcome& outcome) {
  if (outcome.since && outcome.missing_artifacts_before_since > 0) {
    return with_thousands(outcome.missing_artifacts_before_since) + " artifacts created before " +
           outcome.since->substr(0, std::string("YYYY-MM-DD").size()) +
           " are not yet covered; run `stella evidence reindex` without --since to finish";
  }
  return with_thousands(outcome.missing_artifacts) + " artifacts (" +
         with_thousands(outcome.missing_bundles) +
         " bundles) are not yet covered; run `stella evidence reindex` again to finish";
}

void apply_seal(ReindexOutcome& outcome, const SealResult& seal) {
  outcome.straggler_bundles = seal.stragglers.bundles;
  outcome.artifacts_hashed_here += seal.stragglers.hashed;
  outcome.bytes_hashed_here += seal.stragglers.bytes;
  outcome.old_global_root = seal.old_global_root;
  outcome.new_global_root = seal.new_global_root;
  outcome.transition_id = seal.transition_id;
  outcome.tenants = seal.tenants;
  outcome.bundles = seal.bundles;
  outcome.artifacts = seal.artifacts;
  switch (seal.kind) {
    case SealKind::sealed:
      outcome.kind = ReindexResultKind::sealed;
      outcome.message = "generation " + std::to_string(outcome.generation) + " (" +
                        outcome.algorithm + ") sealed and active: global root " +
                        outcome.new_global_root + "; transition " +
                        std::to_string(outcome.transition_id) + " from " + outcome.old_global_root;
      return;
    case SealKind::sealed_elsewhere:
      outcome.kind = ReindexResultKind::sealed_elsewhere;
      outcome.message =
          "generation " + std::to_string(outcome.generation) + " (" + outcome.algorithm +
          ") was sealed by another worker of the same run" +
          (outcome.new_global_root.empty() ? std::string()
                                           : ": global root " + outcome.new_global_root);
      return;
    case SealKind::incomplete:
      outcome.kind = ReindexResultKind::incomplete;
      outcome.missing_bundles = seal.gap.bundles;
      outcome.missing_artifacts = seal.gap.artifacts;
      outcome.missing_artifacts_before_since = seal.gap.artifacts_before_since;
      outcome.message = incomplete_message(outcome);
      return;
  }
}

}  // namespace

std::string with_thousands(std::int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  constexpr std::size_t kGroup = 3;
  std::string grouped = value < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % kGroup == 0) {
      grouped.push_back(',');
    }
    grouped.push_back(digits[i]);
  }
  return grouped;
}

ReindexProgressSample sample_progress(PgConnection& connection, std::int64_t run_id) {
  const PgResult run = connection.exec(
      "SELECT generation, algorithm, planned_artifacts FROM stella.reindex_runs WHERE run_id = $1",
      {std::to_string(run_id)});
  ReindexProgressSample sample;
  sample.run_id = run_id;
  if (run.rows() == 0) {
    return sample;
  }
  sample.generation = static_cast<int>(run.get_int64(0, 0));
  sample.algorithm = run.get(0, 1);
  sample.artifacts_planned = run.get_int64(0, 2);
  const BatchTally tally = tally_batches(connection, run_id);
  sample.batches_total = tally.total;
  sample.batches_done = tally.done;
  sample.artifacts_done = tally.done_artifacts;
  sample.bytes_done = tally.done_bytes;
  sample.busy_seconds = tally.busy_seconds;
  if (tally.done > 0 && tally.busy_seconds > 0) {
    sample.artifacts_per_second = static_cast<double>(tally.done_artifacts) / tally.busy_seconds;
    const std::int64_t remaining = sample.artifacts_planned > sample.artifacts_done
                                       ? sample.artifacts_planned - sample.artifacts_done
                                       : 0;
    if (sample.artifacts_per_second > 0) {
      sample.eta_seconds = static_cast<double>(remaining) / sample.artifacts_per_second;
    }
  }
  return sample;
}

/// This process's share of the run's batches: `threads` workers claim and cover batches until none
/// is pending, with `observer` told the progress. Ctrl-C or SIGTERM while they run: the threads
/// finish the batches in hand, the worker leaves the run (so --progress calls it interrupted at
/// once), and the operator is told how to continue; killed by the signal instead, the run would be
/// as safe but the operator told nothing.
BatchWorkersResult run_batches_here(const std::string& conninfo, PgConnection& connection,
                                    const ReindexRunRecord& run, const TreeHasher& hasher,
                                    int threads, ReindexObserver& observer) {
  std::atomic<bool> interrupted{false};
  const SignalFlagScope signals(interrupted, /*ignore_broken_pipe=*/true,
                                RepeatedSignal::ends_process);
  const std::string worker_id = make_worker_id();
  WorkerHeartbeat heartbeat(conninfo, worker_id, run.run_id);
  BatchWorkersInputs inputs;
  inputs.conninfo = conninfo;
  inputs.run_id = run.run_id;
  inputs.generation = run.generation;
  inputs.digests_table = generation_digests_table(connection, run.generation);
  inputs.since = run.since;
  inputs.hasher = &hasher;
  inputs.threads = threads;
  inputs.worker_id = worker_id;
  inputs.heartbeat = &heartbeat;
  BatchWorkers workers(std::move(inputs));
  while (!workers.wait_for(kProgressIntervalMilliseconds)) {
    if (interrupted.load()) {
      workers.stop();
    }
    observer.progress(sample_progress(connection, run.run_id));
  }
  const BatchWorkersResult done = workers.finish();
  const ReindexProgressSample after = sample_progress(connection, run.run_id);
  observer.progress(after);
  if (interrupted.load()) {
    throw sdk::Error(
        sdk::ErrorCode::cancelled,
        "reindex run " + std::to_string(run.run_id) + " interrupted (SIGINT or SIGTERM): " +
            std::to_string(after.batches_done) + " of " + std::to_string(after.batches_total) +
            " batches are done and kept (" + std::to_string(done.batches) +
            " by this process); generation " + std::to_string(run.generation) +
            " is not sealed and the active generation is unchanged",
        "continue with `stella evidence reindex --resume` (or run the same command again); "
        "`stella evidence reindex --progress` shows where the run stands");
  }
  return done;
}

ReindexOutcome run_reindex(const std::string& conninfo, PluginRegistry& registry,
                           const ReindexRequest& request, ReindexObserver& observer) {
  const auto started_at = std::chrono::steady_clock::now();
  const auto connection = PgConnection::connect(conninfo);
  // The planning and sealing queries walk one row per bundle through index probes; JIT compiling
  // them costs more than it saves.
  connection->exec("SET jit = off");
  require_generations_schema(*connection, "reindex");
  ensure_state_schema(*connection);

  std::optional<std::string> algorithm = request.algorithm;
  if (request.resume) {
    const StoreGenerations generations = read_generations(*connection);
    const GenerationRecord* building = generations.building();
    if (building == nullptr) {
      ReindexOutcome outcome;
      outcome.kind = ReindexResultKind::nothing_to_resume;
      const GenerationRecord& active = generations.active();
      outcome.algorithm = active.algorithm;
      outcome.generation = active.generation;
      outcome.message = "nothing to resume: no generation is being built (store at " +
                        active.algorithm + ", generation " + std::to_string(active.generation) +
                        ")";
      return outcome;
    }
    if (!algorithm) {
      algorithm = building->algorithm;
    }
  }
  // Decided once without the lock to fail early (unknown algorithm, nothing to do) before any
  // plugin is loaded or anything is written.
  ReindexTarget target = resolve_reindex_target(*connection, algorithm);
  if (target.action == ReindexAction::already_current) {
    ReindexOutcome outcome;
    outcome.kind = ReindexResultKind::already_current;
    outcome.algorithm = target.algorithm;
    outcome.generation = target.generation;
    outcome.message = already_current_message(target);
    return outcome;
  }
  const OwnedHasher new_hasher = writing_hasher(registry, target.algorithm);
  require_correct_writing_hasher(new_hasher, target.algorithm);
  // The old generation's hasher too, before anything is written: without it the run could not
  // check the old digests it reads, and would stop leaving a generation started for nothing.
  std::optional<OwnedHasher> old_hasher;
  old_hasher.emplace(verifying_hasher(registry, target.active.algorithm));

  const std::optional<StartedRun> started =
      start_or_join(*connection, request, target.algorithm, target);
  if (!started) {
    ReindexOutcome outcome;
    outcome.kind = ReindexResultKind::already_current;
    outcome.algorithm = target.algorithm;
    outcome.generation = target.generation;
    outcome.message = already_current_message(target);
    return outcome;
  }
  const ReindexRunRecord& run = started->run;
  if (run.from_algorithm != target.active.algorithm) {
    old_hasher.emplace(verifying_hasher(registry, run.from_algorithm));
  }
  observer.run_started(run.run_id, run.generation, run.algorithm, started->joined);
  ReindexOutcome outcome = base_outcome(run, started->joined);

  const BatchWorkersResult done = said_on_lost_connection(
      "reindex run " + std::to_string(run.run_id) + " was interrupted",
      "The batches committed before it are kept; generation " + std::to_string(run.generation) +
          " is not sealed and the active generation is unchanged",
      "continue with `stella evidence reindex --resume` (or run the same command again); "
      "`stella evidence reindex --progress` shows where the run stands",
      [&] {
        return run_batches_here(conninfo, *connection, run, new_hasher.hasher(), request.parallel,
                                observer);
      });
  outcome.batches_here = done.batches;
  outcome.artifacts_hashed_here = done.counts.hashed;
  outcome.bytes_hashed_here = done.counts.bytes;
  said_on_lost_connection(
      "reindex run " + std::to_string(run.run_id) + " stopped while sealing generation " +
          std::to_string(run.generation),
      "The seal is one transaction: it committed whole or not at all; every batch is kept",
      "run `stella evidence reindex --resume`: it seals the generation if it is not sealed yet, "
      "or says there is nothing to resume; `stella evidence roots-export --format json` shows the "
      "active generation",
      [&] {
        finish_run(*connection, run.run_id);
        observer.sealing();
        SealInputs seal_inputs;
        seal_inputs.run = run;
        seal_inputs.new_hasher = &new_hasher.hasher();
        seal_inputs.old_hasher = &old_hasher->hasher();
        seal_inputs.operator_name = request.operator_name;
        seal_inputs.chunk_bundles = run.batch_size;
        apply_seal(outcome, seal_generation(*connection, seal_inputs));
      });
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
  return outcome;
}

}  // namespace stella::host
