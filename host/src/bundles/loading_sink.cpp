#include "bundles/loading_sink.hpp"

#include "bundles/rfc3339_time.hpp"
#include "stella/host/merkle/hasher_for_algorithm.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

LoadingSink::LoadingSink(PgConnection& connection, const StoreLayout& layout,
                         const std::unordered_set<std::string>& skip, Pass pass)
    : connection_(connection),
      layout_(layout),
      skip_(skip),
      pass_(pass),
      load_algorithm_(layout.load_algorithm()),
      load_hasher_(hasher_for_algorithm(load_algorithm_)),
      verifier_(load_algorithm_) {
  // A second read repeats a verification that checked every signature already.
  verifier_.check_signatures(pass == Pass::only);
}

bool LoadingSink::loading_given_up() {
  if (pass_ != Pass::only) {
    return false;
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  return verifier_.result().problem_count > 0 || failure_ != nullptr;
}

void LoadingSink::source_manifest(const std::string& manifest_json) {
  verifier_.source_manifest(manifest_json);
}
void LoadingSink::tenant(const sdk::ImportedTenant& tenant) {
  verifier_.tenant(tenant);
}
void LoadingSink::signing_key(const sdk::ImportedSigningKey& key) {
  verifier_.signing_key(key);
}
void LoadingSink::declared_root(const sdk::DeclaredRoot& root) {
  verifier_.declared_root(root);
}
void LoadingSink::problem(const sdk::SourceProblem& problem) {
  verifier_.problem(problem);
}

void LoadingSink::proof(const sdk::ImportedProof& proof) {
  verifier_.proof(proof);
  complete_pending();
}

void LoadingSink::bundle(const sdk::ImportedBundle& bundle) {
  // The verifier closes the previous bundle first, so its recomputed root is known below.
  verifier_.bundle(bundle);
  complete_pending();
  if (skip_.count(bundle.bundle_id) != 0 || loading_given_up()) {
    return;
  }
  current_ = NewBundle{};
  current_.tenant_id = bundle.tenant;
  current_.bundle_id = bundle.bundle_id;
  current_.kind = bundle.kind;
  current_.status = bundle.status;
  current_.subject = bundle.subject;
  current_.created_at_unix_us = parse_rfc3339_utc_micros(bundle.created_at).value_or(0);
  current_.sealed_at_unix_us = parse_rfc3339_utc_micros(bundle.sealed_at).value_or(0);
  pending_ = true;
}

void LoadingSink::artifact(const sdk::ImportedArtifact& artifact) {
  verifier_.artifact(artifact);
  if (!pending_) {
    return;
  }
  NewArtifact loaded;
  loaded.path = artifact.path;
  loaded.media_type = artifact.media_type;
  // The declared digest, once the verifier found it true, is the stored one; in another algorithm
  // the store's digest is computed from the same bytes.
  const bool same_algorithm = artifact.declared_digest.rfind(load_algorithm_ + ":", 0) == 0;
  loaded.digest = same_algorithm
                      ? artifact.declared_digest
                      : format_digest(load_algorithm_, load_hasher_->digest(artifact.bytes));
  loaded.content.assign(reinterpret_cast<const char*>(artifact.bytes.data()),
                        artifact.bytes.size());
  batch_bytes_ += loaded.content.size();
  current_.artifacts.push_back(std::move(loaded));
}

void LoadingSink::attestation(const sdk::ImportedAttestation& attestation) {
  verifier_.attestation(attestation);
  if (pending_) {
    current_.attestation = attestation.envelope_json;
  }
}

void LoadingSink::complete_pending() {
  if (!pending_) {
    return;
  }
  const VerifiedBundle* verified = verifier_.find_bundle(current_.bundle_id);
  if (verified == nullptr) {
    // Not closed yet (its artifacts are still coming) or a duplicate the verifier reported.
    return;
  }
  pending_ = false;
  if (loading_given_up()) {
    current_ = NewBundle{};
    return;  // flush() drops what is batched
  }
  current_.bundle_root = verified->root_in_store();
  batch_.push_back(std::move(current_));
  current_ = NewBundle{};
  if (batch_bytes_ >= kBatchBytes || batch_.size() >= kBatchBundles) {
    flush();
  }
}

void LoadingSink::flush() {
  if (loading_given_up()) {
    drop_batch();
  }
  if (batch_.empty()) {
    return;
  }
  for (const NewBundle& bundle : batch_) {
    ++bundles_loaded_;
    artifacts_loaded_ += static_cast<std::int64_t>(bundle.artifacts.size());
    attestations_loaded_ += bundle.attestation.empty() ? 0 : 1;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (!loader_.joinable()) {
    loader_ = std::thread([this] { load_batches(); });
  }
  changed_.wait(lock, [this] { return queue_.size() < kMaxQueuedBatches || failure_; });
  if (failure_) {
    lock.unlock();
    if (pass_ == Pass::only) {
      // Kept for finish(); the read goes on to find the source's problems.
      drop_batch();
      return;
    }
    rethrow_loader_failure();
  }
  queue_.push_back(std::move(batch_));
  changed_.notify_all();
  lock.unlock();
  batch_ = {};
  batch_bytes_ = 0;
}

void LoadingSink::drop_batch() {
  batch_.clear();
  batch_bytes_ = 0;
}

void LoadingSink::load_batches() {
  while (true) {
    std::vector<NewBundle> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) {
        return;
      }
      batch = std::move(queue_.front());
      queue_.pop_front();
      loading_ = true;
      changed_.notify_all();
    }
    try {
      layout_.load_bundles(connection_, batch);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mutex_);
      failure_ = std::current_exception();
      loading_ = false;
      queue_.clear();
      changed_.notify_all();
      return;
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    loading_ = false;
    changed_.notify_all();
  }
}

void LoadingSink::stop_loader() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
  }
  if (loader_.joinable()) {
    loader_.join();
  }
}

void LoadingSink::rethrow_loader_failure() {
  stop_loader();
  std::rethrow_exception(failure_);
}

LoadingSink::~LoadingSink() {
  // On an error elsewhere: drop what is queued, let the batch being written end, stop.
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    queue_.clear();
  }
  stop_loader();
}

void LoadingSink::finish() {
  verifier_.finish();
  complete_pending();
  flush();
  {
    // Every queued batch is written before the caller goes on with the connection.
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return (queue_.empty() && !loading_) || failure_; });
  }
  if (failure_) {
    if (pass_ == Pass::only && !verifier_.result().passed()) {
      // The source's problems are the report; the caller rolls back what was loaded.
      stop_loader();
      return;
    }
    rethrow_loader_failure();
  }
  stop_loader();
}

}  // namespace stella::host
