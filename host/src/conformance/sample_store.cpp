#include "conformance/sample_store.hpp"

#include "stella/host/evidence/evidence_write_lock.hpp"
#include "stella/host/evidence/store_init.hpp"
#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/evidence/store_seeder.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/migration_executor.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {
namespace {

/// Small enough to take a second, big enough that batches of a few rows make several batches and
/// that several tenants and bundles make real trees.
constexpr int kSampleTenants = 3;
constexpr std::int64_t kSampleBundlesPerTenant = 3;
constexpr int kSampleArtifactsPerBundle = 4;
constexpr std::size_t kSampleArtifactBytes = 700;
constexpr std::uint64_t kSampleSeed = 7;
/// Seal times between 2026-01-01 and 2026-02-01 UTC: fixed, so every run makes the same store.
constexpr std::int64_t kSampleSinceUnixMicros = 1767225600LL * 1000000;
constexpr std::int64_t kSampleUntilUnixMicros = 1769904000LL * 1000000;

}  // namespace

void create_sample_store(const std::string& conninfo, const std::string& operator_name) {
  const auto connection = PgConnection::connect(conninfo);
  init_store(*connection, kDefaultSchemaVersion, operator_name);
  SeedOptions options;
  options.tenants = kSampleTenants;
  options.bundles_per_tenant = kSampleBundlesPerTenant;
  options.artifacts_per_bundle = kSampleArtifactsPerBundle;
  options.artifact_bytes = kSampleArtifactBytes;
  options.seed = kSampleSeed;
  options.since_unix_us = kSampleSinceUnixMicros;
  options.until_unix_us = kSampleUntilUnixMicros;
  PgTransaction transaction(*connection);
  take_evidence_write_lock(*connection, nullptr);
  const auto layout = open_store_layout(*connection);
  seed_store(*connection, *layout, options, [](std::int64_t) {});
  transaction.commit();
}

void migrate_sample_store(const std::string& conninfo, const GlobalOptions& globals,
                          PluginRegistry& installed, const std::string& version,
                          std::ostream& err) {
  std::string current;
  {
    const auto connection = PgConnection::connect(conninfo);
    current = detect_store_version(*connection).value_or("none");
  }
  if (current == version) {
    return;
  }
  const MigrationContext context{conninfo, globals, installed, err};
  run_migration(context, current, version, kDefaultMigrationBatchSize);
}

}  // namespace stella::host
