// `stella evidence seed`: deterministic, realistic evidence for trials, tests and benchmarks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "stella/host/evidence/store_layout.hpp"

namespace stella::host {

inline constexpr int kDefaultArtifactsPerBundle = 8;
inline constexpr std::size_t kDefaultArtifactBytes = 1024;
inline constexpr int kDefaultSeedSpanDays = 180;

struct SeedOptions {
  /// Bundles go to the first `tenants` tenants of the seed's fixed tenant list (created when
  /// missing), so seeding twice adds to the same tenants.
  int tenants = 0;
  /// New bundles per tenant.
  std::int64_t bundles_per_tenant = 0;
  int artifacts_per_bundle = kDefaultArtifactsPerBundle;
  std::uint64_t seed = 1;
  /// Seal times are spread over [since, until), microseconds since the Unix epoch.
  std::int64_t since_unix_us = 0;
  std::int64_t until_unix_us = 0;
  /// Approximate artifact size; each artifact is within about ±25% of it.
  std::size_t artifact_bytes = kDefaultArtifactBytes;
};

struct SeedSummary {
  std::int64_t tenants = 0;
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  std::int64_t bytes = 0;
  std::int64_t legal_holds = 0;
  /// The key that signed the new attestations.
  std::string key_id;
  /// The store's roots after the seed (all bundles, old and new).
  ComputedRoots roots;
};

/// Called with the number of bundles loaded so far.
using SeedProgress = std::function<void(std::int64_t bundles_loaded)>;

/// The id of the `index`-th tenant (0-based) of the seed's tenant list ("acme", "globex", ...).
std::string seed_tenant_id(int index);

/// Adds bundles with new ids (continuing each tenant's sequence), loads them with binary COPY,
/// then recomputes and stores the tenant roots and global root. Runs inside the caller's open
/// transaction (the caller commits, together with its audit event). The same options on the same
/// store give the same bundles, artifacts and roots; only the seal times follow the clock through
/// `since`/`until`.
/// Throws sdk::Error(invalid_input) for options out of range, PgConnection's errors otherwise.
SeedSummary seed_store(PgConnection& connection, const StoreLayout& layout,
                       const SeedOptions& options, const SeedProgress& progress);

}  // namespace stella::host
