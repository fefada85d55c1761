// New bundles into every sealed generation, through the same code a reindex batch runs, and every
// sealed generation's roots recomputed through the layout's own walk.
#include "stella/host/reindex/live_generations.hpp"

#include "reindex/bundle_digester.hpp"
#include "reindex/copy_text.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/reindex/store_generations.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

std::unique_ptr<TreeHasher> built_in_hasher(const GenerationRecord& generation) {
  try {
    return make_evp_hasher(generation.algorithm);
  } catch (const sdk::Error& error) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "new evidence must also get digests and roots of generation " +
                         std::to_string(generation.generation) + " (" + generation.algorithm +
                         "), which this host cannot hash: " + error.what(),
                     "load evidence with a stella whose OpenSSL provides " + generation.algorithm);
  }
}

/// Replaces the stored tenant roots and global root of `generation` (schema 2.0 tables).
void store_roots(PgConnection& connection, int generation, const ComputedRoots& roots) {
  const std::string number = std::to_string(generation);
  const std::string now(connection.exec("SELECT now()::text").get(0, 0));
  connection.exec("DELETE FROM evidence.tenant_roots WHERE generation = $1", {number});
  std::string rows;
  for (const StoredTenantRoot& tenant : roots.tenants) {
    append_copy_field(rows, tenant.tenant_id, true);
    append_copy_field(rows, number, false);
    append_copy_field(rows, tenant.root, false);
    append_copy_integer(rows, tenant.bundle_count, false);
    append_copy_integer(rows, tenant.artifact_count, false);
    append_copy_field(rows, now, false);
    end_copy_row(rows);
  }
  if (!rows.empty()) {
    connection.copy_in_start(
        "COPY evidence.tenant_roots (tenant_id, generation, root, bundle_count, artifact_count, "
        "computed_at) FROM STDIN");
    connection.copy_in_put(rows);
    connection.copy_in_finish();
  }
  connection.exec(
      "INSERT INTO evidence.global_roots (generation, root, tenant_count, bundle_count, "
      "artifact_count, computed_at) VALUES ($1, $2, $3, $4, $5, now()) "
      "ON CONFLICT (generation) DO UPDATE SET root = EXCLUDED.root, "
      "tenant_count = EXCLUDED.tenant_count, bundle_count = EXCLUDED.bundle_count, "
      "artifact_count = EXCLUDED.artifact_count, computed_at = EXCLUDED.computed_at",
      {number, roots.global_root, std::to_string(roots.tenants.size()),
       std::to_string(roots.bundle_count), std::to_string(roots.artifact_count)});
}

}  // namespace

ComputedRoots refresh_sealed_generations(PgConnection& connection, const StoreLayout& layout) {
  const StoreGenerations generations = read_generations(connection);
  std::optional<ComputedRoots> active_roots;
  for (const GenerationRecord& generation : generations.all) {
    if (generation.state != GenerationState::sealed) {
      continue;
    }
    const std::unique_ptr<TreeHasher> hasher = built_in_hasher(generation);
    // A sealed generation covers every record but the ones just loaded into another generation.
    const bool complete =
        connection
            .exec(
                "SELECT (SELECT count(*) FROM evidence.bundles) = "
                "(SELECT count(*) FROM evidence.bundle_roots WHERE generation = $1)",
                {std::to_string(generation.generation)})
            .get(0, 0) == "t";
    if (!complete) {
      digest_bundles(connection, *hasher, generation.generation, BundleSelection{});
    }
    const std::unique_ptr<StoreLayout> reading =
        layout.reading_generation(connection, generation.generation);
    ComputedRoots roots = compute_roots(connection, *reading, *hasher);
    store_roots(connection, generation.generation, roots);
    if (generation.active) {
      active_roots = std::move(roots);
    }
  }
  if (!active_roots) {
    generations.active();  // throws, naming what is wrong
  }
  return std::move(*active_roots);
}

}  // namespace stella::host
