// The import's loading read: an ImportSink that verifies everything (again, after a first read, so
// that the stream can be compared with it; or for the first and only time, into a new store) and
// loads each new bundle into the store in batches, inside the caller's transaction. Batches are
// written by a loader thread while the source is read on, so that reading and PostgreSQL's work
// overlap.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "stella/host/bundles/content_verifier.hpp"
#include "stella/host/evidence/store_layout.hpp"

namespace stella::host {

/// Ownership: borrows the connection (used only by the loader thread until finish() returns), the
/// layout and the skip set; owns the loader thread, which it stops when destroyed.
/// Thread-safety: call from one thread. Failure: what ContentVerifier throws; what
/// StoreLayout::load_bundles throws in the loader is rethrown by the next call that queues a batch,
/// or by finish().
class LoadingSink final : public sdk::ImportSink {
 public:
  /// Bytes of artifact content buffered before a batch is written (binary COPY).
  static constexpr std::size_t kBatchBytes = std::size_t{8} << 20;
  /// Bundles buffered before a batch is written.
  static constexpr std::size_t kBatchBundles = 2000;

  /// Which read of the source feeds the sink.
  enum class Pass {
    /// A second read, of a source verified by a first (signatures were checked then): a failure
    /// of the loader is thrown at once.
    second = 1,
    /// The only read (into a store the same transaction created): signatures are checked here.
    /// Once the source shows a problem nothing more is loaded, and a failure of the loader does not
    /// stop the read: the source's problems, which explain such a failure, are what the caller
    /// reports (finish() then returns, the failure dropped, and the caller rolls back).
    only = 2,
  };

  /// `skip`: ids of bundles the store already holds with identical content. Digests and roots are
  /// loaded in the layout's load_algorithm(), recomputed from the bytes when the source's differs.
  LoadingSink(PgConnection& connection, const StoreLayout& layout,
              const std::unordered_set<std::string>& skip, Pass pass = Pass::second);
  ~LoadingSink() override;
  LoadingSink(const LoadingSink&) = delete;
  LoadingSink& operator=(const LoadingSink&) = delete;

  void source_manifest(const std::string& manifest_json) override;
  void tenant(const sdk::ImportedTenant& tenant) override;
  void signing_key(const sdk::ImportedSigningKey& key) override;
  void bundle(const sdk::ImportedBundle& bundle) override;
  void artifact(const sdk::ImportedArtifact& artifact) override;
  void attestation(const sdk::ImportedAttestation& attestation) override;
  void declared_root(const sdk::DeclaredRoot& root) override;
  void proof(const sdk::ImportedProof& proof) override;
  void problem(const sdk::SourceProblem& problem) override;

  /// Loads what is still buffered, waits for the loader, and finishes the verification. With
  /// Pass::only and a source that has problems, returns without loading the rest.
  void finish();
  const ContentVerifier& verifier() const { return verifier_; }
  std::int64_t bundles_loaded() const { return bundles_loaded_; }
  std::int64_t artifacts_loaded() const { return artifacts_loaded_; }
  std::int64_t attestations_loaded() const { return attestations_loaded_; }

 private:
  /// Completes the pending bundle with its recomputed root and queues it.
  void complete_pending();
  /// Hands the batch to the loader (waits while kMaxQueuedBatches are waiting).
  void flush();
  /// Pass::only, loading given up: forgets what is batched (the transaction is rolled back).
  void drop_batch();
  void load_batches();
  void stop_loader();
  void rethrow_loader_failure();
  /// Pass::only: true once the source has shown a problem or the loader failed; nothing more is
  /// buffered or queued then.
  bool loading_given_up();

  /// Batches waiting for the loader: enough to keep it busy, few enough to bound memory.
  static constexpr std::size_t kMaxQueuedBatches = 2;

  PgConnection& connection_;
  const StoreLayout& layout_;
  const std::unordered_set<std::string>& skip_;
  Pass pass_;
  std::string load_algorithm_;
  std::unique_ptr<TreeHasher> load_hasher_;
  ContentVerifier verifier_;
  bool pending_ = false;
  NewBundle current_;
  std::vector<NewBundle> batch_;
  std::size_t batch_bytes_ = 0;
  std::int64_t bundles_loaded_ = 0;
  std::int64_t artifacts_loaded_ = 0;
  std::int64_t attestations_loaded_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<NewBundle>> queue_;
  bool loading_ = false;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::thread loader_;
};

}  // namespace stella::host
