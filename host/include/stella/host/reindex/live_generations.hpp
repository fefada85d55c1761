// Keeping every live digest generation complete as evidence arrives: a store whose active
// generation is sha512 after a reindex (or which is being reindexed) must give new bundles digests
// and roots in every sealed or building generation, not only in the generation new evidence is
// loaded into (docs/reindex.md, "Ingest during and after a reindex").
#pragma once

#include <string>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Inside the caller's transaction, after `bundle_ids` were loaded with digests and roots of
/// generation `load_generation`: gives each of them its artifact digests and bundle root in every
/// other sealed or building generation of the store, hashed from the stored bytes with the host's
/// built-in hasher of that generation's algorithm. Returns the generations written. A schema 1.0
/// store (no generations table) is left alone. Call it after the bundles' rows are inserted: a
/// sealing reindex holds evidence.bundles until it commits, so the generations read here are the
/// ones the seal left. Throws sdk::Error(refused) for a generation whose algorithm the built-in
/// hasher does not know.
std::vector<int> cover_loaded_bundles(PgConnection& connection, int load_generation,
                                      const std::vector<std::string>& bundle_ids);

}  // namespace stella::host
