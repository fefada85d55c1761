// Schema 2.0 (schemas/sql/2.0/, docs/store-schema-2.0.md): every SQL statement the evidence verbs
// run against a 2.0 store. Digests and roots are kept per digest generation; every reading verb
// uses the active generation (or the one chosen with reading_generation). Bytes live once per
// content address in evidence.contents; attestations in evidence.attestations (attestation 1 is the
// bundle's DSSE envelope).
#include <libpq-fe.h>

#include <cctype>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "evidence/store_layout_registry.hpp"
#include "stella/host/evidence/pg_binary_copy.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr const char* kSchemaVersion = "2.0";
/// The generation new evidence is written to: generation 1 is sha256 in every 2.0 store (created
/// so by `init` and by the migration from 1.0); later generations are added by reindex.
constexpr int kLoadGeneration = 1;
constexpr const char* kLoadAlgorithm = "sha256";
/// Bundles fetched per round trip while walking.
constexpr int kBundleFetchSize = 1000;
/// Batches the bundle fetcher may hold ready beyond the one in use.
constexpr std::size_t kBundleBatchesAhead = 2;

#define ISO_UTC(column) \
  "to_char((" column ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/// The active generation, which every reading verb uses.
struct ActiveGeneration {
  int generation = 0;
  std::string algorithm;
};

ActiveGeneration active_generation(PgConnection& connection) {
  const PgResult rows =
      connection.exec("SELECT generation, algorithm FROM evidence.digest_generations WHERE active");
  if (rows.rows() != 1) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "evidence.digest_generations has " + std::to_string(rows.rows()) +
                         " active generations; a 2.0 store has exactly one",
                     "the store is damaged; `stella evidence migrate --status` and the audit "
                     "trail show what changed it last");
  }
  return ActiveGeneration{static_cast<int>(rows.get_int64(0, 0)), std::string(rows.get(0, 1))};
}

/// A read-only connection in a repeatable-read transaction (one snapshot for a whole walk).
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

constexpr const char* kBundleColumns =
    "b.tenant_id, b.bundle_id, b.kind, b.status, " ISO_UTC("b.created_at") ", " ISO_UTC(
        "b.sealed_at") ", coalesce(r.root, ''), t.envelope::text, b.subject";

/// The columns of kBundleColumns as a BundleEntry.
BundleEntry bundle_at(const PgResult& rows, int r) {
  BundleEntry entry;
  entry.tenant_id = rows.get(r, 0);
  entry.bundle_id = rows.get(r, 1);
  entry.kind = rows.get(r, 2);
  entry.status = rows.get(r, 3);
  entry.created_at = rows.get(r, 4);
  entry.sealed_at = rows.get(r, 5);
  entry.stored_root = rows.get(r, 6);
  entry.attestation = rows.get_optional(r, 7);
  entry.subject = rows.get(r, 8);
  return entry;
}

/// The joins that give kBundleColumns a bundle's root of `generation` and its attestation 1.
std::string bundle_joins(int generation) {
  return " FROM evidence.bundles b LEFT JOIN evidence.bundle_roots r ON r.bundle_id = b.bundle_id "
         "AND r.generation = " +
         std::to_string(generation) +
         " LEFT JOIN evidence.attestations t ON t.bundle_id = b.bundle_id AND t.ordinal = 1 ";
}

/// Walks bundles in Merkle order with their active-generation root and attestation 1 through a
/// server-side cursor, fetched a batch ahead on a thread of its own so that turning attestations
/// into text on the server does not stall the artifact stream.
class BundleCursor {
 public:
  BundleCursor(PgConnection& connection, int generation) : connection_(connection) {
    connection_.exec(std::string("DECLARE bundle_walk NO SCROLL CURSOR FOR SELECT ") +
                     kBundleColumns + bundle_joins(generation) +
                     "ORDER BY b.tenant_id, b.sealed_at, b.bundle_id");
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

std::vector<TenantEntry> read_tenants(PgConnection& connection, int generation) {
  const PgResult rows = connection.exec(
      "SELECT t.tenant_id, r.root, r.bundle_count, r.artifact_count, " ISO_UTC(
          "r.computed_at") ", t.display_name FROM evidence.tenants t "
                           "LEFT JOIN evidence.tenant_roots r "
                           "ON r.tenant_id = t.tenant_id AND r.generation = $1 "
                           "ORDER BY t.tenant_id",
      {std::to_string(generation)});
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

std::optional<StoredGlobalRoot> read_global_root(PgConnection& connection,
                                                 const ActiveGeneration& active) {
  const PgResult rows =
      connection.exec("SELECT root, tenant_count, bundle_count, artifact_count, " ISO_UTC(
                          "computed_at") " FROM evidence.global_roots WHERE generation = $1",
                      {std::to_string(active.generation)});
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  return StoredGlobalRoot{std::string(rows.get(0, 0)), active.algorithm,
                          rows.get_int64(0, 1),        rows.get_int64(0, 2),
                          rows.get_int64(0, 3),        std::string(rows.get(0, 4))};
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

/// An int4 field for a binary COPY: its four bytes in network order.
std::string int32_field(std::int32_t value) {
  const auto bits = static_cast<std::uint32_t>(value);
  constexpr int kByteBits = 8;
  std::string bytes(sizeof(bits), '\0');
  for (std::size_t i = 0; i < sizeof(bits); ++i) {
    bytes[i] = static_cast<char>((bits >> (kByteBits * (sizeof(bits) - 1 - i))) & 0xFFU);
  }
  return bytes;
}

/// A temporary table for one load, emptied first: load_bundles may run several times in one
/// transaction (the seed loads in chunks).
void prepare_staging(PgConnection& connection, const char* name, const char* columns) {
  connection.exec(std::string("CREATE TEMPORARY TABLE IF NOT EXISTS ") + name + " (" + columns +
                  ") ON COMMIT DROP");
  connection.exec(std::string("TRUNCATE ") + name);
}

class StoreLayout20 final : public StoreLayout {
 public:
  /// `read_generation`: the generation the reading methods read; nullopt for the active one.
  explicit StoreLayout20(std::optional<int> read_generation = std::nullopt)
      : read_generation_(read_generation) {}

  std::string schema_version() const override { return kSchemaVersion; }

  DigestGeneration read_generation(PgConnection& connection) const override {
    const ActiveGeneration read = reading(connection);
    return DigestGeneration{read.generation, read.algorithm,
                            read.generation == active_generation(connection).generation};
  }

  std::unique_ptr<StoreLayout> reading_generation(PgConnection& connection,
                                                  int generation) const override {
    std::string known;
    for (const DigestGeneration& existing : generations(connection)) {
      if (existing.generation == generation) {
        return std::make_unique<StoreLayout20>(generation);
      }
      known += (known.empty() ? "" : ", ") + std::to_string(existing.generation) + " (" +
               existing.algorithm + (existing.active ? ", active" : "") + ")";
    }
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "the store has no digest generation " + std::to_string(generation) +
                         "; its generations: " + known,
                     "name one of them (`stella evidence stats --detailed` lists them)");
  }

  std::vector<DigestGeneration> generations(PgConnection& connection) const override {
    const PgResult rows = connection.exec(
        "SELECT generation, algorithm, active FROM evidence.digest_generations "
        "ORDER BY generation");
    std::vector<DigestGeneration> generations;
    for (int r = 0; r < rows.rows(); ++r) {
      generations.push_back(DigestGeneration{static_cast<int>(rows.get_int64(r, 0)),
                                             std::string(rows.get(r, 1)), rows.get(r, 2) == "t"});
    }
    return generations;
  }

  StoreTotals totals(PgConnection& connection) const override {
    const PgResult row = connection.exec(
        "SELECT (SELECT count(*) FROM evidence.tenants), "
        "(SELECT count(*) FROM evidence.bundles), "
        "(SELECT count(*) FROM evidence.artifacts), "
        "(SELECT coalesce(sum(size_bytes), 0) FROM evidence.artifacts), "
        "(SELECT count(*) FROM evidence.attestations), "
        "(SELECT count(*) FROM evidence.legal_holds WHERE released_at IS NULL), "
        "(SELECT count(*) FROM evidence.legal_holds WHERE released_at IS NOT NULL)");
    return StoreTotals{row.get_int64(0, 0), row.get_int64(0, 1), row.get_int64(0, 2),
                       row.get_int64(0, 3), row.get_int64(0, 4), row.get_int64(0, 5),
                       row.get_int64(0, 6)};
  }

  std::vector<TenantTotals> tenant_totals(PgConnection& connection) const override {
    const PgResult rows = connection.exec(
        "SELECT t.tenant_id, coalesce(b.bundles, 0), coalesce(a.artifacts, 0), "
        "coalesce(a.bytes, 0), coalesce(s.attestations, 0), coalesce(h.active, 0), " ISO_UTC(
            "b.oldest") ", " ISO_UTC("b.newest") " FROM evidence.tenants t "
                                                 "LEFT JOIN (SELECT tenant_id, count(*) AS bundles, "
                                                 "min(created_at) AS oldest, max(created_at) AS "
                                                 "newest FROM evidence.bundles GROUP BY tenant_id) "
                                                 "b USING (tenant_id) "
                                                 "LEFT JOIN (SELECT tenant_id, count(*) AS "
                                                 "artifacts, sum(size_bytes) AS bytes "
                                                 "FROM evidence.artifacts GROUP BY tenant_id) a "
                                                 "USING (tenant_id) "
                                                 "LEFT JOIN (SELECT tenant_id, count(*) AS "
                                                 "attestations FROM evidence.attestations "
                                                 "GROUP BY tenant_id) s USING (tenant_id) "
                                                 "LEFT JOIN (SELECT tenant_id, count(*) AS active "
                                                 "FROM evidence.legal_holds WHERE released_at IS "
                                                 "NULL GROUP BY tenant_id) h USING (tenant_id) "
                                                 "ORDER BY t.tenant_id");
    std::vector<TenantTotals> totals;
    for (int r = 0; r < rows.rows(); ++r) {
      totals.push_back(TenantTotals{std::string(rows.get(r, 0)), rows.get_int64(r, 1),
                                    rows.get_int64(r, 2), rows.get_int64(r, 3),
                                    rows.get_int64(r, 4), rows.get_int64(r, 5),
                                    rows.get_optional(r, 6), rows.get_optional(r, 7)});
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
        "SELECT tenant_id, media_type, count(*), sum(size_bytes) FROM evidence.artifacts "
        "GROUP BY tenant_id, media_type ORDER BY tenant_id, media_type COLLATE \"C\"");
    std::vector<MediaTypeTotals> totals;
    for (int r = 0; r < rows.rows(); ++r) {
      totals.push_back(MediaTypeTotals{std::string(rows.get(r, 0)), std::string(rows.get(r, 1)),
                                       rows.get_int64(r, 2), rows.get_int64(r, 3)});
    }
    return totals;
  }

  StoredRoots stored_roots(PgConnection& connection) const override {
    const ActiveGeneration active = reading(connection);
    StoredRoots roots;
    roots.generation = active.generation;
    roots.algorithm = active.algorithm;
    roots.global = read_global_root(connection, active);
    const PgResult rows = connection.exec(
        "SELECT tenant_id, root, bundle_count, artifact_count, " ISO_UTC(
            "computed_at") " FROM evidence.tenant_roots WHERE generation = $1 ORDER BY tenant_id",
        {std::to_string(active.generation)});
    for (int r = 0; r < rows.rows(); ++r) {
      roots.tenants.push_back(StoredTenantRoot{std::string(rows.get(r, 0)),
                                               std::string(rows.get(r, 1)), rows.get_int64(r, 2),
                                               rows.get_int64(r, 3), std::string(rows.get(r, 4))});
    }
    return roots;
  }

  void stream_bundle_roots(PgConnection& connection, EvidenceVisitor& visitor) const override {
    const ActiveGeneration active = reading(connection);
    MerkleWalk walk(read_tenants(connection, active.generation), visitor);
    constexpr int kFields = 8;
    PgBinaryCopyReader reader(kFields);
    connection.copy_out(
        "COPY (SELECT b.tenant_id, b.bundle_id, b.kind, b.status, " ISO_UTC(
            "b.created_at") ", " ISO_UTC("b.sealed_at") ", coalesce(r.root, ''), "
                                                        "(SELECT count(*) FROM evidence.artifacts a "
                                                        "WHERE a.bundle_id = b.bundle_id) "
                                                        "FROM evidence.bundles b "
                                                        "LEFT JOIN evidence.bundle_roots r "
                                                        "ON r.bundle_id = b.bundle_id "
                                                        "AND r.generation = " +
            std::to_string(active.generation) +
            " ORDER BY b.tenant_id, b.sealed_at, b.bundle_id) TO STDOUT (FORMAT binary)",
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
          bundle.stored_root = reader.required(6, "bundle root");
          bundle.artifact_count = reader.int64_field(7, "artifact count");
          walk.visit_bundle(bundle);
        });
    walk.finish();
  }

  void stream_evidence(const std::string& conninfo, EvidenceVisitor& visitor) const override {
    // Artifacts (bytes from contents, digest of the active generation) stream through COPY on one
    // connection while bundles come through a cursor on a second; both read one snapshot.
    SnapshotConnection artifacts_side(conninfo);
    SnapshotConnection bundles_side(conninfo);
    bundles_side.import_snapshot(artifacts_side.export_snapshot());

    const ActiveGeneration active = reading(artifacts_side.get());
    EvidenceSnapshot snapshot;
    snapshot.global_root = read_global_root(artifacts_side.get(), active);
    snapshot.signing_keys = read_signing_keys(artifacts_side.get());
    snapshot.tenants = read_tenants(artifacts_side.get(), active.generation);
    visitor.begin_walk(snapshot);
    MerkleWalk walk(snapshot.tenants, visitor);
    BundleCursor bundles(bundles_side.get(), active.generation);

    constexpr int kFields = 6;
    PgBinaryCopyReader reader(kFields);
    artifacts_side.get().copy_out(
        "COPY (SELECT a.bundle_id, a.path, a.media_type, a.size_bytes, coalesce(d.digest, ''), "
        "c.content FROM evidence.bundles b "
        "JOIN evidence.artifacts a ON a.bundle_id = b.bundle_id "
        "JOIN evidence.contents c ON c.content_address = a.content_address "
        "LEFT JOIN evidence.artifact_digests d ON d.bundle_id = a.bundle_id AND d.path = a.path "
        "AND d.generation = " +
            std::to_string(active.generation) +
            " ORDER BY b.tenant_id, b.sealed_at, b.bundle_id, a.path) TO STDOUT (FORMAT binary)",
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
    // The generation this layout reads: the active one unless chosen with reading_generation.
    const ActiveGeneration active = reading(connection);
    const std::string ids = text_array_literal(bundle_ids);
    const PgResult bundles =
        connection.exec(std::string("SELECT ") + kBundleColumns + bundle_joins(active.generation) +
                            "WHERE b.bundle_id = ANY($1::text[]) ORDER BY b.bundle_id",
                        {ids});
    for (int r = 0; r < bundles.rows(); ++r) {
      found.push_back(StoredBundle{bundle_at(bundles, r), {}});
    }
    const PgResult artifacts = connection.exec(
        "SELECT a.bundle_id, a.path, a.media_type, coalesce(d.digest, '') "
        "FROM evidence.artifacts a LEFT JOIN evidence.artifact_digests d "
        "ON d.bundle_id = a.bundle_id AND d.path = a.path AND d.generation = $2 "
        "WHERE a.bundle_id = ANY($1::text[]) ORDER BY a.bundle_id, a.path",
        {ids, std::to_string(active.generation)});
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

  std::string load_algorithm() const override { return kLoadAlgorithm; }

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
    require_load_generation(connection);
    load_bundle_rows(connection, bundles);
    load_contents(connection, bundles);
    load_artifact_rows(connection, bundles);
    load_attestations(connection, bundles);
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
    const ActiveGeneration active = active_generation(connection);
    if (roots.algorithm != active.algorithm) {
      throw sdk::Error(sdk::ErrorCode::internal, "the active digest generation " +
                                                     std::to_string(active.generation) + " uses " +
                                                     active.algorithm + "; asked to store " +
                                                     roots.algorithm + " roots in it");
    }
    store_generation_roots(connection, active.generation, roots);
  }

 private:
  /// The generation the reading methods read: the one chosen with reading_generation, else the
  /// active one.
  ActiveGeneration reading(PgConnection& connection) const {
    if (!read_generation_) {
      return active_generation(connection);
    }
    const PgResult rows =
        connection.exec("SELECT algorithm FROM evidence.digest_generations WHERE generation = $1",
                        {std::to_string(*read_generation_)});
    if (rows.rows() != 1) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "the store has no digest generation " + std::to_string(*read_generation_),
                       "`stella evidence stats --detailed` lists the store's generations");
    }
    return ActiveGeneration{*read_generation_, std::string(rows.get(0, 0))};
  }

  std::optional<int> read_generation_;

  /// New evidence carries sha256 digests and roots: they belong to generation 1.
  static void require_load_generation(PgConnection& connection) {
    const PgResult rows =
        connection.exec("SELECT algorithm FROM evidence.digest_generations WHERE generation = $1",
                        {std::to_string(kLoadGeneration)});
    if (rows.rows() != 1 || rows.get(0, 0) != kLoadAlgorithm) {
      throw sdk::Error(
          sdk::ErrorCode::internal,
          "digest generation " + std::to_string(kLoadGeneration) + " of this store is " +
              (rows.rows() == 1 ? std::string(rows.get(0, 0)) : std::string("missing")) +
              "; new evidence is loaded with " + kLoadAlgorithm + " digests into it",
          "the store is damaged; restore it from a backup");
    }
  }

  static void load_bundle_rows(PgConnection& connection, std::span<const NewBundle> bundles) {
    {
      constexpr int kFields = 7;
      PgBinaryCopyWriter writer(connection,
                                "COPY evidence.bundles (bundle_id, tenant_id, kind, status, "
                                "subject, created_at, sealed_at) FROM STDIN (FORMAT binary)");
      for (const NewBundle& bundle : bundles) {
        writer.begin_tuple(kFields);
        writer.add_bytes(bundle.bundle_id);
        writer.add_bytes(bundle.tenant_id);
        writer.add_bytes(bundle.kind);
        writer.add_bytes(bundle.status);
        writer.add_bytes(bundle.subject);
        writer.add_timestamp(bundle.created_at_unix_us);
        writer.add_timestamp(bundle.sealed_at_unix_us);
      }
      writer.finish();
    }
    constexpr int kFields = 3;
    PgBinaryCopyWriter writer(connection,
                              "COPY evidence.bundle_roots (bundle_id, generation, root) "
                              "FROM STDIN (FORMAT binary)");
    for (const NewBundle& bundle : bundles) {
      writer.begin_tuple(kFields);
      writer.add_bytes(bundle.bundle_id);
      writer.add_bytes(int32_field(kLoadGeneration));
      writer.add_bytes(bundle.bundle_root);
    }
    writer.finish();
  }

  /// Bytes go to content-addressed storage once per distinct SHA-256, computed here from the
  /// bytes (not taken from the declared digest).
  static void load_contents(PgConnection& connection, std::span<const NewBundle> bundles) {
    prepare_staging(connection, "stella_load_contents",
                    "content_address text COLLATE \"C\", size_bytes bigint, content bytea");
    const auto hasher = make_evp_hasher(kLoadAlgorithm);
    {
      constexpr int kFields = 3;
      PgBinaryCopyWriter writer(connection,
                                "COPY stella_load_contents (content_address, size_bytes, content) "
                                "FROM STDIN (FORMAT binary)");
      for (const NewBundle& bundle : bundles) {
        for (const NewArtifact& artifact : bundle.artifacts) {
          const ByteView bytes(reinterpret_cast<const std::uint8_t*>(artifact.content.data()),
                               artifact.content.size());
          writer.begin_tuple(kFields);
          writer.add_bytes(format_digest(kLoadAlgorithm, hasher->digest(bytes)));
          writer.add_int64(static_cast<std::int64_t>(artifact.content.size()));
          writer.add_bytes(artifact.content);
        }
      }
      writer.finish();
    }
    connection.exec(
        "INSERT INTO evidence.contents (content_address, size_bytes, content) "
        "SELECT DISTINCT ON (content_address) content_address, size_bytes, content "
        "FROM stella_load_contents ORDER BY content_address "
        "ON CONFLICT (content_address) DO NOTHING");
  }

  static void load_artifact_rows(PgConnection& connection, std::span<const NewBundle> bundles) {
    const auto hasher = make_evp_hasher(kLoadAlgorithm);
    {
      constexpr int kFields = 6;
      PgBinaryCopyWriter writer(connection,
                                "COPY evidence.artifacts (bundle_id, path, tenant_id, media_type, "
                                "size_bytes, content_address) FROM STDIN (FORMAT binary)");
      for (const NewBundle& bundle : bundles) {
        for (const NewArtifact& artifact : bundle.artifacts) {
          const ByteView bytes(reinterpret_cast<const std::uint8_t*>(artifact.content.data()),
                               artifact.content.size());
          writer.begin_tuple(kFields);
          writer.add_bytes(bundle.bundle_id);
          writer.add_bytes(artifact.path);
          writer.add_bytes(bundle.tenant_id);
          writer.add_bytes(artifact.media_type);
          writer.add_int64(static_cast<std::int64_t>(artifact.content.size()));
          writer.add_bytes(format_digest(kLoadAlgorithm, hasher->digest(bytes)));
        }
      }
      writer.finish();
    }
    constexpr int kFields = 4;
    PgBinaryCopyWriter writer(connection,
                              "COPY evidence.artifact_digests (bundle_id, path, generation, "
                              "digest) FROM STDIN (FORMAT binary)");
    for (const NewBundle& bundle : bundles) {
      for (const NewArtifact& artifact : bundle.artifacts) {
        writer.begin_tuple(kFields);
        writer.add_bytes(bundle.bundle_id);
        writer.add_bytes(artifact.path);
        writer.add_bytes(int32_field(kLoadGeneration));
        writer.add_bytes(artifact.digest);
      }
    }
    writer.finish();
  }

  /// Attestation 1 of each bundle, with the payload type and the signing key the envelope names
  /// (when the store knows that key), as the migration from 1.0 records them.
  static void load_attestations(PgConnection& connection, std::span<const NewBundle> bundles) {
    prepare_staging(connection, "stella_load_attestations",
                    "bundle_id text COLLATE \"C\", tenant_id text COLLATE \"C\", envelope jsonb");
    {
      constexpr int kFields = 3;
      PgBinaryCopyWriter writer(connection,
                                "COPY stella_load_attestations (bundle_id, tenant_id, envelope) "
                                "FROM STDIN (FORMAT binary)");
      for (const NewBundle& bundle : bundles) {
        if (bundle.attestation.empty()) {
          continue;
        }
        writer.begin_tuple(kFields);
        writer.add_bytes(bundle.bundle_id);
        writer.add_bytes(bundle.tenant_id);
        writer.add_jsonb(bundle.attestation);
      }
      writer.finish();
    }
    connection.exec(
        "INSERT INTO evidence.attestations (bundle_id, ordinal, tenant_id, payload_type, key_id, "
        "envelope) SELECT s.bundle_id, 1, s.tenant_id, s.envelope ->> 'payloadType', k.key_id, "
        "s.envelope FROM stella_load_attestations s "
        "LEFT JOIN evidence.signing_keys k "
        "ON k.key_id = s.envelope -> 'signatures' -> 0 ->> 'keyid'");
  }
};

}  // namespace

std::unique_ptr<StoreLayout> make_store_layout_2_0() {
  return std::make_unique<StoreLayout20>();
}

}  // namespace stella::host
