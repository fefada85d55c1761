// Schema 1.0 (schemas/sql/1.0/, docs/store-schema-1.0.md): every SQL statement the evidence verbs
// run against a 1.0 store. One generation of digests (sha256); attestations inline on bundles.
#include <libpq-fe.h>

#include <cctype>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "evidence/store_layout_registry.hpp"
#include "stella/host/evidence/pg_binary_copy.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr const char* kSchemaVersion = "1.0";
constexpr const char* kAlgorithm = "sha256";
constexpr int kGeneration = 1;
/// Bundles fetched per round trip while walking: large enough to amortise the round trip, small
/// enough that a batch of inline attestations stays a few megabytes.
constexpr int kBundleFetchSize = 1000;
/// Batches the bundle fetcher may hold ready beyond the one in use.
constexpr std::size_t kBundleBatchesAhead = 2;

/// Planner settings (local to the walk's transaction) that make the artifact walk stream.
constexpr const char* kStreamingPlanSettings[] = {
    "SET LOCAL enable_hashjoin = off", "SET LOCAL enable_mergejoin = off",
    "SET LOCAL enable_sort = off", "SET LOCAL max_parallel_workers_per_gather = 0"};

/// Timestamps leave the server as ISO 8601 UTC text with microseconds, the form every JSON output
/// of the tool uses.
#define ISO_UTC(column) \
  "to_char((" column ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/// A read-only connection of a walk, in a repeatable-read transaction so that everything it reads
/// belongs to one snapshot; ends the transaction when it goes away.
class SnapshotConnection {
 public:
  explicit SnapshotConnection(const std::string& conninfo)
      : connection_(PgConnection::connect(conninfo)) {
    connection_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  ~SnapshotConnection() {
    try {
      connection_->exec("ROLLBACK");
    } catch (...) {
      // Closing the connection ends the transaction anyway.
    }
  }
  SnapshotConnection(const SnapshotConnection&) = delete;
  SnapshotConnection& operator=(const SnapshotConnection&) = delete;

  PgConnection& get() { return *connection_; }

  std::string export_snapshot() {
    return std::string(connection_->exec("SELECT pg_export_snapshot()").get(0, 0));
  }
  void import_snapshot(const std::string& snapshot_id) {
    // SET TRANSACTION SNAPSHOT takes no parameters; the id comes from the server and is checked
    // to be the hex-and-dash form before it is spliced in.
    for (const char c : snapshot_id) {
      if (std::isxdigit(static_cast<unsigned char>(c)) == 0 && c != '-') {
        throw sdk::Error(sdk::ErrorCode::internal,
                         "snapshot id '" + snapshot_id + "' is not in PostgreSQL's form");
      }
    }
    connection_->exec("SET TRANSACTION SNAPSHOT '" + snapshot_id + "'");
  }

 private:
  std::unique_ptr<PgConnection> connection_;
};

std::optional<std::string> optional_text(const PgResult& result, int row, int column) {
  return result.get_optional(row, column);
}

/// Walks bundles in Merkle order through a server-side cursor, fetched a batch ahead on a thread of
/// its own: turning a thousand inline jsonb attestations into text costs the server tens of
/// milliseconds, which would otherwise stall the artifact stream each time.
class BundleCursor {
 public:
  explicit BundleCursor(PgConnection& connection) : connection_(connection) {
    connection_.exec(
        "DECLARE bundle_walk NO SCROLL CURSOR FOR "
        "SELECT tenant_id, bundle_id, kind, status, " ISO_UTC("created_at") ", " ISO_UTC(
            "sealed_at") ", bundle_root, attestation::text, subject "
                         "FROM evidence.bundles ORDER BY tenant_id, sealed_at, bundle_id");
    fetcher_ = std::thread([this] { fetch_all(); });
  }

  ~BundleCursor() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    fetcher_.join();
  }
  BundleCursor(const BundleCursor&) = delete;
  BundleCursor& operator=(const BundleCursor&) = delete;

  /// The next bundle, or nullopt after the last.
  std::optional<BundleEntry> next() {
    if (row_ >= batch_.rows()) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !ready_.empty() || finished_; });
      if (ready_.empty()) {
        if (failure_) {
          std::rethrow_exception(failure_);
        }
        return std::nullopt;
      }
      batch_ = std::move(ready_.front());
      ready_.pop_front();
      row_ = 0;
      changed_.notify_all();
    }
    return bundle_at(batch_, row_++);
  }

 private:
  static BundleEntry bundle_at(const PgResult& batch, int r) {
    BundleEntry entry;
    entry.tenant_id = batch.get(r, 0);
    entry.bundle_id = batch.get(r, 1);
    entry.kind = batch.get(r, 2);
    entry.status = batch.get(r, 3);
    entry.created_at = batch.get(r, 4);
    entry.sealed_at = batch.get(r, 5);
    entry.stored_root = batch.get(r, 6);
    entry.attestation = optional_text(batch, r, 7);
    entry.subject = batch.get(r, 8);
    return entry;
  }

  void fetch_all() {
    try {
      for (;;) {
        PgResult batch =
            connection_.exec("FETCH " + std::to_string(kBundleFetchSize) + " FROM bundle_walk");
        const bool last = batch.rows() < kBundleFetchSize;
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return ready_.size() < kBundleBatchesAhead || stopping_; });
        if (stopping_) {
          break;
        }
        if (batch.rows() > 0) {
          ready_.push_back(std::move(batch));
        }
        if (last) {
          break;
        }
        changed_.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
    }
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }

  PgConnection& connection_;
  PgResult batch_;
  int row_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<PgResult> ready_;
  bool stopping_ = false;
  bool finished_ = false;
  std::exception_ptr failure_;
  std::thread fetcher_;
};

/// Opens tenants, then bundles, on the visitor in Merkle order as the artifact stream asks for
/// them; tenants without bundles and bundles without artifacts are visited too.
class MerkleWalk {
 public:
  MerkleWalk(std::vector<TenantEntry> tenants, EvidenceVisitor& visitor)
      : tenants_(std::move(tenants)), visitor_(visitor) {}

  /// Visits bundles up to `bundle` and leaves it open; `next_bundle` supplies them in order.
  template <typename NextBundle>
  void open_bundle(std::string_view bundle_id, NextBundle&& next_bundle) {
    while (!bundle_open_ || open_bundle_id_ != bundle_id) {
      auto bundle = next_bundle();
      if (!bundle) {
        throw sdk::Error(sdk::ErrorCode::internal,
                         "artifacts of bundle " + std::string(bundle_id) +
                             " arrived, but the bundle walk has no such bundle left; the two "
                             "ordered reads of one snapshot disagree");
      }
      visit_bundle(*bundle);
    }
  }

  void visit_bundle(const BundleEntry& bundle) {
    close_bundle();
    open_tenant(bundle.tenant_id);
    visitor_.begin_bundle(bundle);
    bundle_open_ = true;
    open_bundle_id_ = bundle.bundle_id;
  }

  /// Closes what is open and visits every tenant not yet visited.
  void finish() {
    close_bundle();
    if (tenant_open_) {
      visitor_.end_tenant();
      tenant_open_ = false;
    }
    for (; next_tenant_ < tenants_.size(); ++next_tenant_) {
      visitor_.begin_tenant(tenants_[next_tenant_]);
      visitor_.end_tenant();
    }
  }

 private:
  void close_bundle() {
    if (bundle_open_) {
      visitor_.end_bundle();
      bundle_open_ = false;
    }
  }

  void open_tenant(const std::string& tenant_id) {
    while (!tenant_open_ || tenants_[open_tenant_].tenant_id != tenant_id) {
      if (tenant_open_) {
        visitor_.end_tenant();
        tenant_open_ = false;
      }
      if (next_tenant_ >= tenants_.size()) {
        throw sdk::Error(sdk::ErrorCode::internal,
                         "a bundle names tenant " + tenant_id +
                             ", which the tenant walk does not have (or not in this order)");
      }
      open_tenant_ = next_tenant_++;
      visitor_.begin_tenant(tenants_[open_tenant_]);
      tenant_open_ = true;
    }
  }

  std::vector<TenantEntry> tenants_;
  EvidenceVisitor& visitor_;
  std::size_t next_tenant_ = 0;
  std::size_t open_tenant_ = 0;
  bool tenant_open_ = false;
  bool bundle_open_ = false;
  std::string open_bundle_id_;
};

std::vector<TenantEntry> read_tenants(PgConnection& connection) {
  const PgResult rows =
      connection.exec("SELECT t.tenant_id, r.root, r.bundle_count, r.artifact_count, " ISO_UTC(
          "r.computed_at") ", t.display_name FROM evidence.tenants t "
                           "LEFT JOIN evidence.tenant_roots r USING (tenant_id) "
                           "ORDER BY t.tenant_id");
  std::vector<TenantEntry> tenants;
  tenants.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) {
    TenantEntry entry;
    entry.tenant_id = rows.get(r, 0);
    entry.display_name = rows.get(r, 5);
    if (!rows.is_null(r, 1)) {
      entry.stored_root =
          StoredTenantRoot{entry.tenant_id, std::string(rows.get(r, 1)), rows.get_int64(r, 2),
                           rows.get_int64(r, 3), std::string(rows.get(r, 4))};
    }
    tenants.push_back(std::move(entry));
  }
  return tenants;
}

std::optional<StoredGlobalRoot> read_global_root(PgConnection& connection) {
  const PgResult rows = connection.exec(
      "SELECT root, algorithm, tenant_count, bundle_count, artifact_count, " ISO_UTC(
          "computed_at") " FROM evidence.store_root");
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  return StoredGlobalRoot{std::string(rows.get(0, 0)), std::string(rows.get(0, 1)),
                          rows.get_int64(0, 2),        rows.get_int64(0, 3),
                          rows.get_int64(0, 4),        std::string(rows.get(0, 5))};
}

std::vector<SigningKeyRecord> read_signing_keys(PgConnection& connection) {
  const PgResult rows = connection.exec(
      "SELECT key_id, algorithm, public_key_pem FROM evidence.signing_keys ORDER BY key_id");
  std::vector<SigningKeyRecord> keys;
  for (int r = 0; r < rows.rows(); ++r) {
    keys.push_back(
        {std::string(rows.get(r, 0)), std::string(rows.get(r, 1)), std::string(rows.get(r, 2))});
  }
  return keys;
}

class StoreLayout10 final : public StoreLayout {
 public:
  std::string schema_version() const override { return kSchemaVersion; }

  std::vector<DigestGeneration> generations(PgConnection& /*connection*/) const override {
    return {DigestGeneration{kGeneration, kAlgorithm, true}};
  }

  DigestGeneration read_generation(PgConnection& /*connection*/) const override {
    return DigestGeneration{kGeneration, kAlgorithm, true};
  }

  std::unique_ptr<StoreLayout> reading_generation(PgConnection& /*connection*/,
                                                  int generation) const override {
    if (generation != kGeneration) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "a schema 1.0 store has generation " + std::to_string(kGeneration) + " (" +
                           kAlgorithm + ") only; asked for generation " +
                           std::to_string(generation),
                       "digest generations come with schema 2.0 (`stella evidence migrate "
                       "--from-version 1.0 --to-version 2.0`, then `stella evidence reindex`)");
    }
    return make_store_layout_1_0();
  }

  StoreTotals totals(PgConnection& connection) const override {
    const PgResult row = connection.exec(
        "SELECT (SELECT count(*) FROM evidence.tenants), "
        "(SELECT count(*) FROM evidence.bundles), "
        "(SELECT count(*) FROM evidence.artifacts), "
        "(SELECT coalesce(sum(size_bytes), 0) FROM evidence.artifacts), "
        "(SELECT count(*) FROM evidence.bundles WHERE attestation IS NOT NULL), "
        "(SELECT count(*) FROM evidence.legal_holds WHERE released_at IS NULL), "
        "(SELECT count(*) FROM evidence.legal_holds WHERE released_at IS NOT NULL)");
    return StoreTotals{row.get_int64(0, 0), row.get_int64(0, 1), row.get_int64(0, 2),
                       row.get_int64(0, 3), row.get_int64(0, 4), row.get_int64(0, 5),
                       row.get_int64(0, 6)};
  }

  std::vector<TenantTotals> tenant_totals(PgConnection& connection) const override {
    const PgResult rows = connection.exec(
        "SELECT t.tenant_id, coalesce(b.bundles, 0), coalesce(a.artifacts, 0), "
        "coalesce(a.bytes, 0), coalesce(b.attestations, 0), coalesce(h.active, 0), " ISO_UTC(
            "b.oldest") ", " ISO_UTC("b.newest") " FROM evidence.tenants t "
                                                 "LEFT JOIN (SELECT tenant_id, count(*) AS bundles, "
                                                 "count(attestation) AS attestations, "
                                                 "min(created_at) AS oldest, max(created_at) AS "
                                                 "newest FROM evidence.bundles GROUP BY tenant_id) "
                                                 "b USING (tenant_id) "
                                                 "LEFT JOIN (SELECT b.tenant_id, count(*) AS "
                                                 "artifacts, sum(a.size_bytes) AS bytes "
                                                 "FROM evidence.artifacts a JOIN evidence.bundles "
                                                 "b USING (bundle_id) GROUP BY b.tenant_id) a "
                                                 "USING (tenant_id) "
                                                 "LEFT JOIN (SELECT tenant_id, count(*) AS active "
                                                 "FROM evidence.legal_holds WHERE released_at IS "
                                                 "NULL GROUP BY tenant_id) h USING (tenant_id) "
                                                 "ORDER BY t.tenant_id");
    std::vector<TenantTotals> totals;
    for (int r = 0; r < rows.rows(); ++r) {
      totals.push_back(TenantTotals{std::string(rows.get(r, 0)), rows.get_int64(r, 1),
                                    rows.get_int64(r, 2), rows.get_int64(r, 3),
                                    rows.get_int64(r, 4), rows.get_int64(r, 5),
                                    optional_text(rows, r, 6), optional_text(rows, r, 7)});
    }
    return totals;
  }

  std::vector<KindTotals> kind_totals(PgConnection& connection) const override {
    const PgResult rows = connection.exec(
        "SELECT b.tenant_id, b.kind, count(*), coalesce(sum(a.artifacts), 0), "
        "coalesce(sum(a.bytes), 0) FROM evidence.bundles b "
        "LEFT JOIN (SELECT bundle_id, count(*) AS artifacts, sum(size_bytes) AS bytes "
        "FROM evidence.artifacts GROUP BY bundle_id) a USING (bundle_id) "
        "GROUP BY b.tenant_id, b.kind ORDER BY b.tenant_id, b.kind COLLATE \"C\"");
    std::vector<KindTotals> totals;
    for (int r = 0; r < rows.rows(); ++r) {
      totals.push_back(KindTotals{std::string(rows.get(r, 0)), std::string(rows.get(r, 1)),
                                  rows.get_int64(r, 2), rows.get_int64(r, 3),
                                  rows.get_int64(r, 4)});
    }
    return totals;
  }

  std::vector<MediaTypeTotals> media_type_totals(PgConnection& connection) const override {
    const PgResult rows = connection.exec(
        "SELECT b.tenant_id, a.media_type, count(*), sum(a.size_bytes) "
        "FROM evidence.artifacts a JOIN evidence.bundles b USING (bundle_id) "
        "GROUP BY b.tenant_id, a.media_type ORDER BY b.tenant_id, a.media_type COLLATE \"C\"");
    std::vector<MediaTypeTotals> totals;
    for (int r = 0; r < rows.rows(); ++r) {
      totals.push_back(MediaTypeTotals{std::string(rows.get(r, 0)), std::string(rows.get(r, 1)),
                                       rows.get_int64(r, 2), rows.get_int64(r, 3)});
    }
    return totals;
  }

  StoredRoots stored_roots(PgConnection& connection) const override {
    StoredRoots roots;
    roots.generation = kGeneration;
    roots.algorithm = kAlgorithm;
    roots.global = read_global_root(connection);
    const PgResult rows =
        connection.exec("SELECT tenant_id, root, bundle_count, artifact_count, " ISO_UTC(
            "computed_at") " FROM evidence.tenant_roots ORDER BY tenant_id");
    for (int r = 0; r < rows.rows(); ++r) {
      roots.tenants.push_back(StoredTenantRoot{std::string(rows.get(r, 0)),
                                               std::string(rows.get(r, 1)), rows.get_int64(r, 2),
                                               rows.get_int64(r, 3), std::string(rows.get(r, 4))});
    }
    return roots;
  }

  void stream_bundle_roots(PgConnection& connection, EvidenceVisitor& visitor) const override {
    std::vector<TenantEntry> tenants = read_tenants(connection);
    MerkleWalk walk(std::move(tenants), visitor);
    constexpr int kFields = 8;
    PgBinaryCopyReader reader(kFields);
    connection.copy_out(
        "COPY (SELECT b.tenant_id, b.bundle_id, b.kind, b.status, " ISO_UTC(
            "b.created_at") ", " ISO_UTC("b.sealed_at") ", b.bundle_root, "
                                                        "(SELECT count(*) FROM evidence.artifacts a "
                                                        "WHERE a.bundle_id = b.bundle_id) "
                                                        "FROM evidence.bundles b "
                                                        "ORDER BY b.tenant_id, b.sealed_at, "
                                                        "b.bundle_id) TO STDOUT (FORMAT binary)",
        [&](std::string_view message) {
          if (!reader.feed(message)) {
            return;
          }
          BundleEntry bundle;
          bundle.tenant_id = reader.required(0, "tenant_id");
          bundle.bundle_id = reader.required(1, "bundle_id");
          bundle.kind = reader.required(2, "kind");
          bundle.status = reader.required(3, "status");
          bundle.created_at = reader.required(4, "created_at");
          bundle.sealed_at = reader.required(5, "sealed_at");
          bundle.stored_root = reader.required(6, "bundle_root");
          bundle.artifact_count = reader.int64_field(7, "artifact count");
          walk.visit_bundle(bundle);
        });
    walk.finish();
  }

  void stream_evidence(const std::string& conninfo, EvidenceVisitor& visitor) const override {
    // Artifacts stream through COPY on one connection while bundles (with their inline
    // attestations) come through a cursor on a second; both read the same exported snapshot, so
    // they see exactly the same store.
    SnapshotConnection artifacts_side(conninfo);
    SnapshotConnection bundles_side(conninfo);
    bundles_side.import_snapshot(artifacts_side.export_snapshot());

    // The walk must stream from its first row: an index-ordered nested loop (bundles in Merkle
    // order, each bundle's artifacts from the primary key in path order) does, whereas the hash
    // join and full sort the planner otherwise prefers would sort every byte of the store before
    // sending the first row.
    for (const char* setting : kStreamingPlanSettings) {
      artifacts_side.get().exec(setting);
    }
    EvidenceSnapshot snapshot;
    snapshot.global_root = read_global_root(artifacts_side.get());
    snapshot.signing_keys = read_signing_keys(artifacts_side.get());
    snapshot.tenants = read_tenants(artifacts_side.get());
    visitor.begin_walk(snapshot);
    MerkleWalk walk(snapshot.tenants, visitor);
    BundleCursor bundles(bundles_side.get());

    constexpr int kFields = 6;
    PgBinaryCopyReader reader(kFields);
    artifacts_side.get().copy_out(
        "COPY (SELECT a.bundle_id, a.path, a.media_type, a.size_bytes, a.digest, a.content "
        "FROM evidence.bundles b JOIN evidence.artifacts a ON a.bundle_id = b.bundle_id "
        "ORDER BY b.tenant_id, b.sealed_at, b.bundle_id, a.path) TO STDOUT (FORMAT binary)",
        [&](std::string_view message) {
          if (!reader.feed(message)) {
            return;
          }
          walk.open_bundle(reader.required(0, "bundle_id"), [&] { return bundles.next(); });
          const std::string_view content = reader.required(5, "content");
          ArtifactEntry artifact;
          artifact.path = reader.required(1, "path");
          artifact.media_type = reader.required(2, "media_type");
          artifact.recorded_size = reader.int64_field(3, "size_bytes");
          artifact.stored_digest = reader.required(4, "digest");
          artifact.content =
              ByteView(reinterpret_cast<const std::uint8_t*>(content.data()), content.size());
          visitor.artifact(artifact);
        });
    while (auto bundle = bundles.next()) {
      walk.visit_bundle(*bundle);
    }
    walk.finish();
  }

  std::vector<StoredBundle> find_bundles(PgConnection& connection,
                                         std::span<const std::string> bundle_ids) const override {
    std::vector<StoredBundle> found;
    if (bundle_ids.empty()) {
      return found;
    }
    const std::string ids = text_array_literal(bundle_ids);
    const PgResult bundles = connection.exec(
        "SELECT tenant_id, bundle_id, kind, status, " ISO_UTC("created_at") ", " ISO_UTC(
            "sealed_at") ", bundle_root, attestation::text, subject FROM evidence.bundles "
                         "WHERE bundle_id = ANY($1::text[]) ORDER BY bundle_id",
        {ids});
    for (int r = 0; r < bundles.rows(); ++r) {
      StoredBundle stored;
      stored.bundle.tenant_id = bundles.get(r, 0);
      stored.bundle.bundle_id = bundles.get(r, 1);
      stored.bundle.kind = bundles.get(r, 2);
      stored.bundle.status = bundles.get(r, 3);
      stored.bundle.created_at = bundles.get(r, 4);
      stored.bundle.sealed_at = bundles.get(r, 5);
      stored.bundle.stored_root = bundles.get(r, 6);
      stored.bundle.attestation = optional_text(bundles, r, 7);
      stored.bundle.subject = bundles.get(r, 8);
      found.push_back(std::move(stored));
    }
    const PgResult artifacts = connection.exec(
        "SELECT bundle_id, path, media_type, digest FROM evidence.artifacts "
        "WHERE bundle_id = ANY($1::text[]) ORDER BY bundle_id, path",
        {ids});
    std::size_t next = 0;
    for (int r = 0; r < artifacts.rows(); ++r) {
      const std::string_view bundle_id = artifacts.get(r, 0);
      while (next < found.size() && found[next].bundle.bundle_id != bundle_id) {
        ++next;
      }
      if (next == found.size()) {
        throw sdk::Error(sdk::ErrorCode::internal, "artifact of bundle " + std::string(bundle_id) +
                                                       " came back out of bundle id order");
      }
      found[next].artifacts.push_back({std::string(artifacts.get(r, 1)),
                                       std::string(artifacts.get(r, 2)),
                                       std::string(artifacts.get(r, 3))});
    }
    return found;
  }

  std::vector<SigningKeyRecord> signing_keys(PgConnection& connection) const override {
    return read_signing_keys(connection);
  }

  std::string load_algorithm() const override { return kAlgorithm; }

  std::int64_t bundle_count(PgConnection& connection, std::string_view tenant_id) const override {
    return connection
        .exec("SELECT count(*) FROM evidence.bundles WHERE tenant_id = $1",
              {std::string(tenant_id)})
        .get_int64(0, 0);
  }

  void ensure_tenant(PgConnection& connection, std::string_view tenant_id,
                     std::string_view display_name) const override {
    connection.exec(
        "INSERT INTO evidence.tenants (tenant_id, display_name) VALUES ($1, $2) "
        "ON CONFLICT (tenant_id) DO NOTHING",
        {std::string(tenant_id), std::string(display_name)});
  }

  void ensure_signing_key(PgConnection& connection, const SigningKeyRecord& key) const override {
    connection.exec(
        "INSERT INTO evidence.signing_keys (key_id, algorithm, public_key_pem) "
        "VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING",
        {key.key_id, key.algorithm, key.public_key_pem});
  }

  void load_bundles(PgConnection& connection, std::span<const NewBundle> bundles) const override {
    {
      // Bundles first: artifacts reference them.
      constexpr int kFields = 9;
      PgBinaryCopyWriter writer(connection,
                                "COPY evidence.bundles (bundle_id, tenant_id, kind, status, "
                                "subject, created_at, sealed_at, bundle_root, attestation) "
                                "FROM STDIN (FORMAT binary)");
      for (const NewBundle& bundle : bundles) {
        writer.begin_tuple(kFields);
        writer.add_bytes(bundle.bundle_id);
        writer.add_bytes(bundle.tenant_id);
        writer.add_bytes(bundle.kind);
        writer.add_bytes(bundle.status);
        writer.add_bytes(bundle.subject);
        writer.add_timestamp(bundle.created_at_unix_us);
        writer.add_timestamp(bundle.sealed_at_unix_us);
        writer.add_bytes(bundle.bundle_root);
        if (bundle.attestation.empty()) {
          writer.add_null();
        } else {
          writer.add_jsonb(bundle.attestation);
        }
      }
      writer.finish();
    }
    constexpr int kFields = 6;
    PgBinaryCopyWriter writer(connection,
                              "COPY evidence.artifacts (bundle_id, path, media_type, size_bytes, "
                              "digest, content) FROM STDIN (FORMAT binary)");
    for (const NewBundle& bundle : bundles) {
      for (const NewArtifact& artifact : bundle.artifacts) {
        writer.begin_tuple(kFields);
        writer.add_bytes(bundle.bundle_id);
        writer.add_bytes(artifact.path);
        writer.add_bytes(artifact.media_type);
        writer.add_int64(static_cast<std::int64_t>(artifact.content.size()));
        writer.add_bytes(artifact.digest);
        writer.add_bytes(artifact.content);
      }
    }
    writer.finish();
  }

  void load_legal_holds(PgConnection& connection,
                        std::span<const NewLegalHold> holds) const override {
    if (holds.empty()) {
      return;
    }
    constexpr int kFields = 8;
    PgBinaryCopyWriter writer(connection,
                              "COPY evidence.legal_holds (hold_id, tenant_id, bundle_id, "
                              "case_reference, reason, placed_by, placed_at, released_at) "
                              "FROM STDIN (FORMAT binary)");
    for (const NewLegalHold& hold : holds) {
      writer.begin_tuple(kFields);
      writer.add_bytes(hold.hold_id);
      writer.add_bytes(hold.tenant_id);
      if (hold.bundle_id.empty()) {
        writer.add_null();
      } else {
        writer.add_bytes(hold.bundle_id);
      }
      writer.add_bytes(hold.case_reference);
      writer.add_bytes(hold.reason);
      writer.add_bytes(hold.placed_by);
      writer.add_timestamp(hold.placed_at_unix_us);
      if (hold.released_at_unix_us) {
        writer.add_timestamp(*hold.released_at_unix_us);
      } else {
        writer.add_null();
      }
    }
    writer.finish();
  }

  void write_roots(PgConnection& connection, const ComputedRoots& roots) const override {
    if (roots.algorithm != kAlgorithm) {
      throw sdk::Error(sdk::ErrorCode::internal, "schema 1.0 stores " + std::string(kAlgorithm) +
                                                     " roots only; asked to store " +
                                                     roots.algorithm + " roots");
    }
    connection.exec("DELETE FROM evidence.tenant_roots");
    for (const StoredTenantRoot& tenant : roots.tenants) {
      connection.exec(
          "INSERT INTO evidence.tenant_roots (tenant_id, root, bundle_count, artifact_count, "
          "computed_at) VALUES ($1, $2, $3, $4, now())",
          {tenant.tenant_id, tenant.root, std::to_string(tenant.bundle_count),
           std::to_string(tenant.artifact_count)});
    }
    connection.exec(
        "INSERT INTO evidence.store_root (singleton, root, algorithm, tenant_count, bundle_count, "
        "artifact_count, computed_at) VALUES (true, $1, $2, $3, $4, $5, now()) "
        "ON CONFLICT (singleton) DO UPDATE SET root = EXCLUDED.root, "
        "algorithm = EXCLUDED.algorithm, tenant_count = EXCLUDED.tenant_count, "
        "bundle_count = EXCLUDED.bundle_count, artifact_count = EXCLUDED.artifact_count, "
        "computed_at = EXCLUDED.computed_at",
        {roots.global_root, roots.algorithm, std::to_string(roots.tenants.size()),
         std::to_string(roots.bundle_count), std::to_string(roots.artifact_count)});
  }
};

}  // namespace

std::unique_ptr<StoreLayout> make_store_layout_1_0() {
  return std::make_unique<StoreLayout10>();
}

}  // namespace stella::host
