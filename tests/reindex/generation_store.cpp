#include "reindex/generation_store.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::test {
namespace {

struct LiveGeneration {
  int generation = 0;
  std::string algorithm;
  bool sealed = false;
};

std::vector<LiveGeneration> generations_to_write(host::PgConnection& connection,
                                                 IngestGenerations which) {
  const bool building = connection
                            .exec(
                                "SELECT EXISTS (SELECT 1 FROM evidence.digest_generations "
                                "WHERE state = 'building')")
                            .get(0, 0) == "t";
  const bool every = which == IngestGenerations::every_live || !building;
  const host::PgResult rows = connection.exec(
      "SELECT generation, algorithm, state FROM evidence.digest_generations "
      "WHERE active OR ($1 AND state IN ('sealed', 'building')) ORDER BY generation",
      {std::string(every ? "true" : "false")});
  std::vector<LiveGeneration> result;
  for (int r = 0; r < rows.rows(); ++r) {
    result.push_back({static_cast<int>(rows.get_int64(r, 0)), std::string(rows.get(r, 1)),
                      rows.get(r, 2) == "sealed"});
  }
  return result;
}

host::ByteView bytes_of(const std::string& text) {
  return host::ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::string content_for(const std::string& tenant, const std::string& bundle, int index,
                        const std::string& label) {
  // One artifact per bundle is the tenant's shared base-image SBOM: identical bytes in every
  // bundle, stored once (content addressing), digested once per generation.
  if (index == 0) {
    return "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":{\"component\":\"" +
           tenant + "/base-image\"},\"label\":\"" + label + "\"}";
  }
  return "{\"tenant\":\"" + tenant + "\",\"bundle\":\"" + bundle +
         "\",\"artifact\":" + std::to_string(index) + ",\"findings\":[" +
         std::to_string(index * 7 % 13) + "]}";
}

std::string path_for(int index) {
  static const std::vector<std::string> kNames = {"sbom/base.cdx.json", "vex/openvex.json",
                                                  "scan/result.json", "policy/verdict.json",
                                                  "provenance/slsa.json"};
  if (index < static_cast<int>(kNames.size())) {
    return kNames[static_cast<std::size_t>(index)];
  }
  return "extra/item-" + std::to_string(index) + ".json";
}

}  // namespace

const std::vector<std::string>& fixture_tenants() {
  static const std::vector<std::string> tenants = {"acme",     "globex", "initech",
                                                   "umbrella", "wayne",  "stark"};
  return tenants;
}

GenerationStore::GenerationStore(const std::string& prefix) : database_(prefix) {
  const ProcessResult init = run_stella(
      {"--database", database_.conninfo(), "evidence", "init", "--schema-version", "2.0"});
  if (init.exit_code != 0) {
    throw std::runtime_error("stella evidence init --schema-version 2.0 failed: " + init.err);
  }
  connection_ = host::PgConnection::connect(database_.conninfo());
}

std::vector<std::string> GenerationStore::ingest(const IngestOptions& options) {
  return ingest_on(*connection_, options);
}

std::vector<std::string> GenerationStore::ingest_on(host::PgConnection& connection,
                                                    const IngestOptions& options) {
  std::vector<std::string> bundle_ids;
  host::PgTransaction transaction(connection);
  int minute = 0;
  for (int t = 0; t < options.tenants; ++t) {
    const std::string& tenant = fixture_tenants().at(static_cast<std::size_t>(t));
    connection.exec(
        "INSERT INTO evidence.tenants (tenant_id, display_name) VALUES ($1, $2) "
        "ON CONFLICT (tenant_id) DO NOTHING",
        {tenant, "Tenant " + tenant});
    for (int b = 0; b < options.bundles_per_tenant; ++b, ++minute) {
      const std::string bundle =
          tenant + "-" + options.batch_label + "-" + std::to_string(1000 + b);
      connection.exec(
          "INSERT INTO evidence.bundles (bundle_id, tenant_id, kind, status, subject, created_at, "
          "sealed_at) VALUES ($1, $2, 'evaluation', 'sealed', $3, "
          "$4::timestamptz + make_interval(mins => $5::int), "
          "$4::timestamptz + make_interval(mins => $5::int + 1))",
          {bundle, tenant, "registry.example/" + tenant + "/app:" + std::to_string(b),
           options.created_from, std::to_string(minute)});
      bundle_ids.push_back(bundle);
    }
  }
  // Read after the bundles are in: a sealing reindex holds its lock on evidence.bundles until it
  // commits, so from here on this transaction sees the generations as the seal left them.
  const std::vector<LiveGeneration> generations =
      generations_to_write(connection, options.generations);
  if (options.before_first_artifact) {
    options.before_first_artifact(connection);
  }
  for (const std::string& bundle : bundle_ids) {
    const std::string tenant = bundle.substr(0, bundle.find('-'));
    std::vector<std::pair<std::string, std::string>> artifacts;  // path, content
    for (int i = 0; i < options.artifacts_per_bundle; ++i) {
      artifacts.emplace_back(path_for(i), content_for(tenant, bundle, i, options.batch_label));
    }
    std::sort(artifacts.begin(), artifacts.end());
    const bool first_bundle = bundle == bundle_ids.front();
    for (const auto& [path, content] : artifacts) {
      const auto sha256 = host::make_evp_hasher("sha256");
      const std::string address = host::format_digest("sha256", sha256->digest(bytes_of(content)));
      connection.exec_params(
          "INSERT INTO evidence.contents (content_address, size_bytes, content) "
          "VALUES ($1, $2, $3) ON CONFLICT (content_address) DO NOTHING",
          {host::PgParam{address, false}, host::PgParam{std::to_string(content.size()), false},
           host::PgParam{content, true}});
      connection.exec(
          "INSERT INTO evidence.artifacts (bundle_id, path, tenant_id, media_type, size_bytes, "
          "content_address) VALUES ($1, $2, $3, 'application/json', $4, $5)",
          {bundle, path, tenant, std::to_string(content.size()), address});
    }
    if (first_bundle && options.before_first_digest) {
      options.before_first_digest(connection);
    }
    for (const LiveGeneration& generation : generations) {
      const auto hasher = host::make_evp_hasher(generation.algorithm);
      host::MerkleRootBuilder tree(*hasher);
      for (const auto& [path, content] : artifacts) {
        const std::string digest =
            host::format_digest(generation.algorithm, hasher->digest(bytes_of(content)));
        connection.exec(
            "INSERT INTO evidence.artifact_digests (bundle_id, path, generation, digest) "
            "VALUES ($1, $2, $3, $4)",
            {bundle, path, std::to_string(generation.generation), digest});
        tree.add_leaf_hash(host::artifact_leaf_hash(*hasher, path, digest));
      }
      connection.exec(
          "INSERT INTO evidence.bundle_roots (bundle_id, generation, root) VALUES ($1, $2, $3)",
          {bundle, std::to_string(generation.generation),
           host::format_digest(generation.algorithm, tree.root())});
    }
  }
  for (const LiveGeneration& generation : generations) {
    if (generation.sealed) {
      recompute_generation_roots(connection, generation.generation, generation.algorithm);
    }
  }
  transaction.commit();
  return bundle_ids;
}

ProcessResult GenerationStore::reindex_newer_records_only() {
  IngestOptions old_records;
  old_records.created_from = "2025-06-01T00:00:00Z";
  old_records.batch_label = "old";
  ingest(old_records);
  ingest(IngestOptions{});
  return stella({"evidence", "reindex", "--algorithm", "sha512", "--since", "2026-01-01"});
}

void GenerationStore::unpartition_digest_table() {
  host::PgTransaction transaction(*connection_);
  connection_->exec(
      "CREATE TABLE evidence.artifact_digests_plain "
      "(LIKE evidence.artifact_digests INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
  connection_->exec(
      "INSERT INTO evidence.artifact_digests_plain SELECT * FROM evidence.artifact_digests");
  connection_->exec("DROP TABLE evidence.artifact_digests");
  connection_->exec("ALTER TABLE evidence.artifact_digests_plain RENAME TO artifact_digests");
  connection_->exec(
      "ALTER TABLE evidence.artifact_digests ADD PRIMARY KEY (generation, bundle_id, path), "
      "ADD FOREIGN KEY (bundle_id, path) REFERENCES evidence.artifacts (bundle_id, path), "
      "ADD FOREIGN KEY (generation) REFERENCES evidence.digest_generations (generation)");
  connection_->exec(
      "CREATE INDEX artifact_digests_by_artifact ON evidence.artifact_digests (bundle_id, path)");
  transaction.commit();
}

void recompute_generation_roots(host::PgConnection& connection, int generation,
                                const std::string& algorithm) {
  const auto hasher = host::make_evp_hasher(algorithm);
  const std::string gen = std::to_string(generation);
  const host::PgResult tenants = connection.exec(
      "SELECT t.tenant_id, (SELECT count(*) FROM evidence.artifacts a "
      "WHERE a.tenant_id = t.tenant_id) FROM evidence.tenants t ORDER BY t.tenant_id");
  host::MerkleRootBuilder global(*hasher);
  host::ComputedRoots roots;
  roots.algorithm = algorithm;
  for (int t = 0; t < tenants.rows(); ++t) {
    const std::string tenant(tenants.get(t, 0));
    const host::PgResult bundles = connection.exec(
        "SELECT b.bundle_id, r.root FROM evidence.bundles b JOIN evidence.bundle_roots r "
        "ON r.bundle_id = b.bundle_id AND r.generation = $2 WHERE b.tenant_id = $1 "
        "ORDER BY b.sealed_at, b.bundle_id",
        {tenant, gen});
    host::MerkleRootBuilder tree(*hasher);
    for (int b = 0; b < bundles.rows(); ++b) {
      tree.add_leaf_hash(host::bundle_leaf_hash(*hasher, bundles.get(b, 0), bundles.get(b, 1)));
    }
    const std::string root = host::format_digest(algorithm, tree.root());
    global.add_leaf_hash(host::tenant_leaf_hash(*hasher, tenant, root));
    roots.tenants.push_back({tenant, root, bundles.rows(), tenants.get_int64(t, 1), {}});
    roots.bundle_count += bundles.rows();
    roots.artifact_count += tenants.get_int64(t, 1);
  }
  roots.global_root = host::format_digest(algorithm, global.root());
  host::store_generation_roots(connection, generation, roots);
}

GenerationCheck check_generation(host::PgConnection& connection, int generation) {
  GenerationCheck check;
  const std::string gen = std::to_string(generation);
  check.algorithm = std::string(
      connection
          .exec("SELECT algorithm FROM evidence.digest_generations WHERE generation = $1", {gen})
          .get(0, 0));
  const auto hasher = host::make_evp_hasher(check.algorithm);
  const host::PgResult stored =
      connection.exec("SELECT root FROM evidence.global_roots WHERE generation = $1", {gen});
  check.stored_global_root = stored.rows() > 0 ? std::string(stored.get(0, 0)) : "";
  const host::PgResult rows = connection.exec_params(
      "SELECT t.tenant_id, b.bundle_id, r.root, a.path, c.content, d.digest "
      "FROM evidence.tenants t LEFT JOIN evidence.bundles b ON b.tenant_id = t.tenant_id "
      "LEFT JOIN evidence.bundle_roots r ON r.bundle_id = b.bundle_id AND r.generation = $1 "
      "LEFT JOIN evidence.artifacts a ON a.bundle_id = b.bundle_id "
      "LEFT JOIN evidence.contents c ON c.content_address = a.content_address "
      "LEFT JOIN evidence.artifact_digests d ON d.bundle_id = a.bundle_id AND d.path = a.path "
      "AND d.generation = $1 ORDER BY t.tenant_id, b.sealed_at, b.bundle_id, a.path",
      {host::PgParam{gen, false}}, true);
  host::MerkleRootBuilder global(*hasher);
  std::optional<host::MerkleRootBuilder> tenant_tree;
  std::optional<host::MerkleRootBuilder> bundle_tree;
  std::string tenant;
  std::string bundle;
  std::optional<std::string> bundle_stored;
  const auto close_bundle = [&] {
    if (!bundle_tree) {
      return;
    }
    const std::string root = host::format_digest(check.algorithm, bundle_tree->root());
    if (!bundle_stored) {
      ++check.missing_bundle_roots;
    } else if (*bundle_stored != root) {
      ++check.bundle_root_mismatches;
    }
    tenant_tree->add_leaf_hash(host::bundle_leaf_hash(*hasher, bundle, root));
    bundle_tree.reset();
  };
  const auto close_tenant = [&] {
    close_bundle();
    if (!tenant_tree) {
      return;
    }
    global.add_leaf_hash(host::tenant_leaf_hash(
        *hasher, tenant, host::format_digest(check.algorithm, tenant_tree->root())));
    tenant_tree.reset();
  };
  for (int r = 0; r < rows.rows(); ++r) {
    if (!tenant_tree || rows.get(r, 0) != tenant) {
      close_tenant();
      tenant = rows.get(r, 0);
      tenant_tree.emplace(*hasher);
    }
    if (rows.is_null(r, 1)) {
      continue;
    }
    if (!bundle_tree || rows.get(r, 1) != bundle) {
      close_bundle();
      bundle = rows.get(r, 1);
      bundle_stored = rows.get_optional(r, 2);
      bundle_tree.emplace(*hasher);
    }
    if (rows.is_null(r, 3)) {
      continue;
    }
    ++check.artifacts;
    const std::string path(rows.get(r, 3));
    const std::string recomputed =
        host::format_digest(check.algorithm, hasher->digest(bytes_of(std::string(rows.get(r, 4)))));
    if (rows.is_null(r, 5)) {
      ++check.missing_digests;
    } else if (rows.get(r, 5) != recomputed) {
      ++check.digest_mismatches;
    }
    bundle_tree->add_leaf_hash(host::artifact_leaf_hash(*hasher, path, recomputed));
  }
  close_tenant();
  check.recomputed_global_root = host::format_digest(check.algorithm, global.root());
  return check;
}

ProcessResult GenerationStore::stella(const std::vector<std::string>& args,
                                      const std::map<std::string, std::string>& environment) const {
  std::vector<std::string> full = {"--database", database_.conninfo()};
  full.insert(full.end(), args.begin(), args.end());
  return run_stella(full, environment);
}

std::string GenerationStore::rows_digest(const std::string& ordered_query) {
  return scalar("SELECT md5(coalesce(string_agg(q::text, E'\\n' ORDER BY q::text), '')) FROM (" +
                ordered_query + ") q");
}

std::string GenerationStore::global_root(int generation) {
  return scalar("SELECT root FROM evidence.global_roots WHERE generation = $1",
                {std::to_string(generation)});
}

std::string GenerationStore::scalar(const std::string& sql,
                                    const std::vector<std::string>& params) {
  std::vector<sdk::SqlValue> values(params.begin(), params.end());
  const host::PgResult rows = connection_->exec(sql, values);
  if (rows.rows() == 0 || rows.is_null(0, 0)) {
    return {};
  }
  return std::string(rows.get(0, 0));
}

}  // namespace stella::test
