// Keeping every sealed digest generation complete as evidence arrives: after a reindex the active
// generation is sha512 (say) while new evidence is loaded with sha256 digests into generation 1;
// both must keep covering every record, with current roots (docs/reindex.md, "Online").
#pragma once

#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Inside the caller's transaction, after bundles were loaded into a schema 2.0 store: gives every
/// bundle that lacks a root in a sealed generation its digests and root there (hashed from the
/// stored bytes with the host's built-in hasher of the generation's algorithm), then recomputes
/// and stores the tenant and global roots of every sealed generation. A generation being built is
/// left to its reindex, which covers such bundles itself. Returns the active generation's roots.
/// Throws sdk::Error(refused) for a sealed generation whose algorithm the built-in hasher does not
/// know.
ComputedRoots refresh_sealed_generations(PgConnection& connection, const StoreLayout& layout);

}  // namespace stella::host
