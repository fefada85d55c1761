// New bundles into every live generation, through the same code a reindex batch runs.
#include "stella/host/reindex/live_generations.hpp"

#include "reindex/bundle_digester.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

std::vector<int> cover_loaded_bundles(PgConnection& connection, int load_generation,
                                      const std::vector<std::string>& bundle_ids) {
  std::vector<int> written;
  if (bundle_ids.empty() ||
      connection.exec("SELECT to_regclass('evidence.digest_generations') IS NOT NULL").get(0, 0) !=
          "t") {
    return written;
  }
  const PgResult generations = connection.exec(
      "SELECT generation, algorithm FROM evidence.digest_generations "
      "WHERE state IN ('sealed', 'building') AND generation <> $1 ORDER BY generation",
      {std::to_string(load_generation)});
  for (int r = 0; r < generations.rows(); ++r) {
    const int generation = static_cast<int>(generations.get_int64(r, 0));
    const std::string algorithm(generations.get(r, 1));
    std::unique_ptr<TreeHasher> hasher;
    try {
      hasher = make_evp_hasher(algorithm);
    } catch (const sdk::Error& error) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "new evidence must also get digests of generation " +
                           std::to_string(generation) + " (" + algorithm +
                           "), which this host cannot hash: " + error.what(),
                       "load evidence with a stella whose OpenSSL provides " + algorithm);
    }
    BundleSelection selection;
    selection.bundle_ids = bundle_ids;
    digest_bundles(connection, *hasher, generation, selection);
    written.push_back(generation);
  }
  return written;
}

}  // namespace stella::host
