// `stella evidence stats`: counts of the store, per tenant (--detailed) and per type (--by-type).
// JSON layout: schemas/stats.schema.json.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "stella/host/evidence/store_layout.hpp"

namespace stella::host {

struct StatsOptions {
  bool detailed = false;
  bool by_type = false;
};

/// Everything `stats` reports, read in one snapshot.
struct StoreStats {
  StatsOptions options;
  std::string schema_version;
  std::string database;
  std::string generated_at;
  std::vector<DigestGeneration> generations;
  StoreTotals totals;
  StoredRoots roots;
  /// The stored roots of every generation that is not the active one (after a reindex the old
  /// generation keeps its roots; old proofs are checked against them), by generation.
  std::map<int, StoredRoots> other_generations;
  std::vector<TenantTotals> tenants;
  std::vector<KindTotals> kinds;
  std::vector<MediaTypeTotals> media_types;
};

/// Reads the statistics in one repeatable-read, read-only transaction.
StoreStats collect_store_stats(PgConnection& connection, const StoreLayout& layout,
                               const StatsOptions& options);

std::string stats_to_json(const StoreStats& stats);
std::string stats_to_text(const StoreStats& stats);

}  // namespace stella::host
