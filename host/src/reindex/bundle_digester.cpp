// Reading, hashing and writing one set of bundles. The artifacts stream through a server-side
// cursor a chunk at a time, so memory holds one chunk of payloads plus the rows to write (a key and
// a digest per artifact), never the whole set of payloads.
#include "reindex/bundle_digester.hpp"

#include <string_view>
#include <unordered_map>

#include "reindex/binary_copy_rows.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Rows fetched per round trip: enough to amortise the round trip, few enough that a chunk of
/// large payloads stays small.
constexpr int kFetchRows = 256;

constexpr const char* kCursorName = "reindex_bundles";

// Column order of the cursor below.
enum Column : int {
  kBundleId = 0,
  kPath = 1,
  kContentAddress = 2,
  kContent = 3,
};

/// One query for the whole selection, in bundle then path order (bytewise: the columns are
/// COLLATE "C"). Bundles without artifacts come back as one row with a NULL path. A bundle's
/// digests and its root in a generation are always written in one transaction (here, and by an
/// ingest that writes every live generation), so a bundle without a root has no digest in the
/// generation either: only the root is looked up. "OFFSET 0" keeps that look-up a primary-key
/// probe per bundle: pulled up into a join, the planner — whose statistics say the new generation
/// is empty while it fills — scans every root of the generation for each bundle, and a run grows
/// quadratically slow.
constexpr const char* kDeclareSql =
    "DECLARE reindex_bundles NO SCROLL CURSOR FOR "
    "WITH chosen AS ("
    "  SELECT b.bundle_id FROM evidence.bundles b"
    "  WHERE ($2::text IS NULL OR b.bundle_id >= $2::text)"
    "    AND ($3::text IS NULL OR b.bundle_id < $3::text)"
    "    AND ($4::timestamptz IS NULL OR b.created_at >= $4::timestamptz)"
    "    AND ($6::text[] IS NULL OR b.bundle_id = ANY ($6::text[]))"
    "    AND NOT EXISTS (SELECT 1 FROM evidence.bundle_roots r"
    "                    WHERE r.generation = $1::integer AND r.bundle_id = b.bundle_id"
    "                    OFFSET 0)"
    "  ORDER BY b.bundle_id LIMIT $5::bigint) "
    "SELECT ch.bundle_id, a.path, a.content_address, c.content "
    "FROM chosen ch "
    "LEFT JOIN evidence.artifacts a ON a.bundle_id = ch.bundle_id "
    "LEFT JOIN evidence.contents c ON c.content_address = a.content_address "
    "ORDER BY ch.bundle_id, a.path";

PgParam text_param(const std::optional<std::string>& value) {
  return PgParam{value, false};
}

/// A text[] parameter (NULL when there is no list).
PgParam array_param(const std::optional<std::vector<std::string>>& values) {
  if (!values) {
    return PgParam{std::nullopt, false};
  }
  return PgParam{text_array_literal(*values), false};
}

/// Accumulates the rows to write and the root of the bundle being read.
class BundleAccumulator {
 public:
  BundleAccumulator(const TreeHasher& hasher, int generation)
      : hasher_(hasher), generation_(generation) {}

  void artifact_row(std::string_view bundle_id, std::string_view path,
                    std::string_view content_address, std::optional<std::string_view> content) {
    switch_bundle(bundle_id);
    if (!content) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "artifact " + std::string(bundle_id) + "/" + std::string(path) +
                           " references content " + std::string(content_address) +
                           ", which evidence.contents does not hold",
                       "the store is damaged; run `stella evidence orphans --list` and "
                       "`stella evidence integrity-check --deep`");
    }
    const std::string digest = digest_of(content_address, *content);
    digests_.begin_tuple(kDigestFields);
    digests_.text(bundle_id);
    digests_.text(path);
    digests_.int32(generation_);
    digests_.text(digest);
    ++counts_.hashed;
    counts_.bytes += static_cast<std::int64_t>(content->size());
    tree_->add_leaf_hash(artifact_leaf_hash(hasher_, path, digest));
    ++counts_.artifacts;
  }

  void empty_bundle_row(std::string_view bundle_id) { switch_bundle(bundle_id); }

  /// Closes the last bundle; returns what was gathered.
  void finish() { close_bundle(); }

  /// The COPY data of the digests and of the bundle roots (call once, after finish).
  std::string digest_rows() { return digests_.tuples() > 0 ? digests_.finish() : std::string(); }
  std::string root_rows() { return roots_.tuples() > 0 ? roots_.finish() : std::string(); }
  const DigestCounts& counts() const { return counts_; }

 private:
  void switch_bundle(std::string_view bundle_id) {
    if (tree_ && bundle_id == bundle_id_) {
      return;
    }
    close_bundle();
    bundle_id_ = bundle_id;
    tree_.emplace(hasher_);
    ++counts_.bundles;
  }

  void close_bundle() {
    if (!tree_) {
      return;
    }
    const std::string root = format_digest(hasher_.algorithm_id(), tree_->root());
    roots_.begin_tuple(kRootFields);
    roots_.text(bundle_id_);
    roots_.int32(generation_);
    roots_.text(root);
    tree_.reset();
  }

  /// Identical payloads (one SBOM in many bundles) share a content address: hash each once.
  std::string digest_of(std::string_view content_address, std::string_view content) {
    const auto cached = digest_cache_.find(std::string(content_address));
    if (cached != digest_cache_.end()) {
      return cached->second;
    }
    const DigestBytes bytes = hasher_.digest(
        ByteView(reinterpret_cast<const std::uint8_t*>(content.data()), content.size()));
    std::string digest = format_digest(hasher_.algorithm_id(), bytes);
    digest_cache_.emplace(std::string(content_address), digest);
    return digest;
  }

  static constexpr std::int16_t kDigestFields = 4;
  static constexpr std::int16_t kRootFields = 3;

  const TreeHasher& hasher_;
  std::int32_t generation_;
  std::string bundle_id_;
  std::optional<MerkleRootBuilder> tree_;
  BinaryCopyRows digests_;
  BinaryCopyRows roots_;
  std::unordered_map<std::string, std::string> digest_cache_;
  DigestCounts counts_;
};

std::optional<std::string_view> optional_field(const PgResult& rows, int row, int column) {
  if (rows.is_null(row, column)) {
    return std::nullopt;
  }
  return rows.get(row, column);
}

void copy_rows(PgConnection& connection, const std::string& copy_sql, const std::string& rows) {
  if (rows.empty()) {
    return;
  }
  connection.copy_in_start(copy_sql);
  try {
    connection.copy_in_put(rows);
  } catch (...) {
    connection.copy_in_abort("reindex batch failed while sending rows");
    throw;
  }
  connection.copy_in_finish();
}

}  // namespace

DigestCounts& DigestCounts::operator+=(const DigestCounts& other) {
  bundles += other.bundles;
  artifacts += other.artifacts;
  hashed += other.hashed;
  bytes += other.bytes;
  return *this;
}

DigestCounts digest_bundles(PgConnection& connection, const TreeHasher& hasher, int generation,
                            const BundleSelection& selection, const DigestTables& tables) {
  if (!connection.in_transaction()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "digest_bundles called outside a transaction; its writes must commit with "
                     "the batch's checkpoint",
                     "this is a bug in the reindex code");
  }
  std::optional<std::string> limit;
  if (selection.limit) {
    limit = std::to_string(*selection.limit);
  }
  connection.exec_params(
      kDeclareSql, {PgParam{std::to_string(generation), false}, text_param(selection.lower),
                    text_param(selection.upper), text_param(selection.since), text_param(limit),
                    array_param(selection.bundle_ids)});
  BundleAccumulator accumulator(hasher, generation);
  const std::string fetch_sql =
      "FETCH FORWARD " + std::to_string(kFetchRows) + " FROM " + kCursorName;
  while (true) {
    const PgResult rows = connection.exec_params(fetch_sql, {}, true);
    for (int r = 0; r < rows.rows(); ++r) {
      const std::string_view bundle_id = rows.get(r, kBundleId);
      if (rows.is_null(r, kPath)) {
        accumulator.empty_bundle_row(bundle_id);
        continue;
      }
      accumulator.artifact_row(bundle_id, rows.get(r, kPath), rows.get(r, kContentAddress),
                               optional_field(rows, r, kContent));
    }
    if (rows.rows() < kFetchRows) {
      break;
    }
  }
  connection.exec(std::string("CLOSE ") + kCursorName);
  accumulator.finish();
  // The table names are the constants of DigestTables, never operator input.
  copy_rows(connection,
            "COPY " + tables.digests +
                " (bundle_id, path, generation, digest) FROM STDIN (FORMAT binary)",
            accumulator.digest_rows());
  copy_rows(connection,
            "COPY " + tables.roots + " (bundle_id, generation, root) FROM STDIN (FORMAT binary)",
            accumulator.root_rows());
  return accumulator.counts();
}

}  // namespace stella::host
