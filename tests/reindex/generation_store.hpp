// A schema 2.0 store on the test cluster, created with the real `stella evidence init`, and an
// ingest that writes deterministic evidence straight into it the way an evidence service does:
// bundles, content-addressed bytes, artifacts, and digests and roots for the store's generations.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stella/host/store/pg_connection.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace stella::test {

/// Which generations an ingest writes digests for.
enum class IngestGenerations {
  /// While a generation is being built, only the active one, as a service that does not know of
  /// the reindex in progress: the reindex must cover these records itself. When nothing is being
  /// built, like every_live.
  active_only = 1,
  /// Every sealed and building generation (the store's contract for ingest, docs/reindex.md).
  every_live = 2,
};

struct IngestOptions {
  int tenants = 2;
  int bundles_per_tenant = 3;
  int artifacts_per_bundle = 4;
  /// created_at of the first bundle (RFC 3339); the others follow a minute apart.
  std::string created_from = "2026-01-15T00:00:00Z";
  /// Distinguishes bundles and contents of separate ingests.
  std::string batch_label = "a";
  IngestGenerations generations = IngestGenerations::every_live;
  /// Called once inside the ingest's transaction, on its connection, when the first bundle's
  /// artifacts are written and before any digest: where an ingest holds evidence.bundles and
  /// evidence.artifacts and is about to write evidence.artifact_digests.
  std::function<void(host::PgConnection&)> before_first_digest;
  /// Called once inside the ingest's transaction when its bundles are written and the live
  /// generations read, before any artifact: where an ingest holds a lock on
  /// evidence.digest_generations and is about to write evidence.artifacts, as stella's own loads
  /// do from their first statement on.
  std::function<void(host::PgConnection&)> before_first_artifact;
};

/// Tenant ids the fixture uses, in order.
const std::vector<std::string>& fixture_tenants();

class GenerationStore {
 public:
  /// A scratch database initialised with `stella evidence init --schema-version 2.0`.
  explicit GenerationStore(const std::string& prefix);

  const std::string& conninfo() const { return database_.conninfo(); }
  host::PgConnection& connection() { return *connection_; }

  /// Ingests bundles in one transaction (bundles first, so a sealing reindex's table lock orders
  /// it wholly before or after the seal), then recomputes the stored tenant and global roots of
  /// every sealed generation it wrote. Returns the ids of the bundles added.
  std::vector<std::string> ingest(const IngestOptions& options);
  /// The same on a connection of the caller's (for ingest from another thread).
  static std::vector<std::string> ingest_on(host::PgConnection& connection,
                                            const IngestOptions& options);

  /// Runs the real CLI against this store, with extra arguments after `--database`.
  ProcessResult stella(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& environment = {}) const;

  /// Ingests records created in 2025 and in 2026, then reindexes to sha512 with --since
  /// 2026-01-01: generation 2 is left building, covering only the 2026 records. Returns that run.
  ProcessResult reindex_newer_records_only();

  /// Replaces the partitioned evidence.artifact_digests by one plain table with the same rows,
  /// key, foreign keys and index: the layout schema 2.0 had before it was partitioned.
  void unpartition_digest_table();

  /// A digest (md5 over the rows in order) of what a query returns: to prove tables unchanged.
  std::string rows_digest(const std::string& ordered_query);
  /// The stored global root of a generation ("" when none).
  std::string global_root(int generation);
  /// A single value (first column of the first row) of a query, as text ("" for no row or NULL).
  std::string scalar(const std::string& sql, const std::vector<std::string>& params = {});

 private:
  ScratchDatabase database_;
  std::unique_ptr<host::PgConnection> connection_;
};

/// What an independent recomputation of one generation finds.
struct GenerationCheck {
  std::string algorithm;
  /// The global root recomputed from the stored bytes (digests recomputed, not read).
  std::string recomputed_global_root;
  std::string stored_global_root;
  /// Artifacts whose stored digest differs from the bytes' digest.
  std::int64_t digest_mismatches = 0;
  /// Artifacts without a digest, bundles without a root in the generation.
  std::int64_t missing_digests = 0;
  std::int64_t missing_bundle_roots = 0;
  /// Bundles whose stored root differs from the recomputed one.
  std::int64_t bundle_root_mismatches = 0;
  std::int64_t artifacts = 0;

  bool clean() const {
    return digest_mismatches == 0 && missing_digests == 0 && missing_bundle_roots == 0 &&
           bundle_root_mismatches == 0 && recomputed_global_root == stored_global_root;
  }
};

/// Recomputes a generation from the stored bytes with the host's built-in hasher and the recipe
/// of docs/merkle.md, and compares with what the store holds: the tests' verify-all of one
/// generation.
GenerationCheck check_generation(host::PgConnection& connection, int generation);

/// Recomputes and stores the tenant and global roots of `generation` from its stored bundle
/// roots (the recipe of docs/merkle.md, with the host's built-in hasher).
void recompute_generation_roots(host::PgConnection& connection, int generation,
                                const std::string& algorithm);

}  // namespace stella::test
