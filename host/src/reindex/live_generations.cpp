// New bundles into every sealed generation, through the same code a reindex batch runs, and every
// sealed generation's roots recomputed through the layout's own walk.
#include "stella/host/reindex/live_generations.hpp"
#include "stella/host/merkle/hasher_for_algorithm.hpp"

#include "reindex/bundle_digester.hpp"
#include "reindex/generation_roots.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/reindex/store_generations.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

std::unique_ptr<TreeHasher> generation_hasher(const GenerationRecord& generation) {
  try {
    return hasher_for_algorithm(generation.algorithm);
  } catch (const sdk::Error& error) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "new evidence must also get digests and roots of generation " +
                         std::to_string(generation.generation) + " (" + generation.algorithm +
                         "), which this stella cannot hash: " + error.what(),
                     error.hint().empty()
                         ? "install the reindexer plugin that provides " + generation.algorithm +
                               " (`stella plugins list` shows what is installed)"
                         : error.hint());
  }
}

}  // namespace

ComputedRoots refresh_sealed_generations(PgConnection& connection, const StoreLayout& layout) {
  const StoreGenerations generations = read_generations(connection);
  std::optional<ComputedRoots> active_roots;
  for (const GenerationRecord& generation : generations.all) {
    if (generation.state != GenerationState::sealed) {
      continue;
    }
    const std::unique_ptr<TreeHasher> hasher = generation_hasher(generation);
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
    store_generation_roots(connection, generation.generation, roots);
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
