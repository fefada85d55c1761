// Collecting and rendering `stats`.
#include "stella/host/evidence/store_stats.hpp"

#include <iomanip>
#include <map>
#include <sstream>

#include "core/human_bytes.hpp"
#include "evidence/json_output.hpp"
#include "stella/host/evidence/pg_binary_copy.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/sdk/printable_text.hpp"

namespace stella::host {
namespace {

std::string now_iso() {
  return iso8601_from_unix_micros(std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
}

const StoredTenantRoot* tenant_root(const StoredRoots& roots, const std::string& tenant) {
  for (const auto& root : roots.tenants) {
    if (root.tenant_id == tenant) {
      return &root;
    }
  }
  return nullptr;
}

/// The root of `tenant` (empty: the global root) among `roots`.
std::optional<std::string> root_in(const StoredRoots& roots, const std::string& tenant) {
  if (tenant.empty()) {
    return roots.global ? std::optional<std::string>(roots.global->root) : std::nullopt;
  }
  const StoredTenantRoot* root = tenant_root(roots, tenant);
  return root ? std::optional<std::string>(root->root) : std::nullopt;
}

/// Every generation with its stored root of `tenant` (empty: the global root).
void write_generations(JsonOutput& json, const StoreStats& stats, const std::string& tenant) {
  auto& w = json.writer();
  json.key("generations");
  w.StartArray();
  for (const DigestGeneration& generation : stats.generations) {
    w.StartObject();
    json.integer("generation", generation.generation);
    json.text("algorithm", generation.algorithm);
    json.boolean("active", generation.active);
    const auto other = stats.other_generations.find(generation.generation);
    if (generation.active) {
      json.optional_text("root", root_in(stats.roots, tenant));
    } else if (other != stats.other_generations.end()) {
      json.optional_text("root", root_in(other->second, tenant));
    }
    w.EndObject();
  }
  w.EndArray();
}

void write_kind(JsonOutput& json, const KindTotals& kind) {
  json.writer().StartObject();
  json.text("kind", kind.kind);
  json.integer("bundles", kind.bundles);
  json.integer("artifacts", kind.artifacts);
  json.integer("bytes", kind.bytes);
  json.writer().EndObject();
}

void write_media_type(JsonOutput& json, const MediaTypeTotals& type) {
  json.writer().StartObject();
  json.text("mediaType", type.media_type);
  json.integer("artifacts", type.artifacts);
  json.integer("bytes", type.bytes);
  json.writer().EndObject();
}

void write_by_type(JsonOutput& json, const StoreStats& stats) {
  auto& w = json.writer();
  std::map<std::string, KindTotals> kinds;
  std::map<std::string, MediaTypeTotals> media_types;
  for (const KindTotals& kind : stats.kinds) {
    KindTotals& total = kinds[kind.kind];
    total.kind = kind.kind;
    total.bundles += kind.bundles;
    total.artifacts += kind.artifacts;
    total.bytes += kind.bytes;
  }
  for (const MediaTypeTotals& type : stats.media_types) {
    MediaTypeTotals& total = media_types[type.media_type];
    total.media_type = type.media_type;
    total.artifacts += type.artifacts;
    total.bytes += type.bytes;
  }
  json.key("byType");
  w.StartObject();
  json.key("kinds");
  w.StartArray();
  for (const auto& [name, kind] : kinds) {
    write_kind(json, kind);
  }
  w.EndArray();
  json.key("mediaTypes");
  w.StartArray();
  for (const auto& [name, type] : media_types) {
    write_media_type(json, type);
  }
  w.EndArray();
  json.key("perTenant");
  w.StartArray();
  for (const TenantTotals& tenant : stats.tenants) {
    w.StartObject();
    json.text("tenant", tenant.tenant_id);
    json.key("kinds");
    w.StartArray();
    for (const KindTotals& kind : stats.kinds) {
      if (kind.tenant_id == tenant.tenant_id) {
        write_kind(json, kind);
      }
    }
    w.EndArray();
    json.key("mediaTypes");
    w.StartArray();
    for (const MediaTypeTotals& type : stats.media_types) {
      if (type.tenant_id == tenant.tenant_id) {
        write_media_type(json, type);
      }
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

StoreStats collect_store_stats(PgConnection& connection, const StoreLayout& layout,
                               const StatsOptions& options) {
  StoreStats stats;
  stats.options = options;
  stats.schema_version = layout.schema_version();
  stats.database = database_name(connection);
  stats.generated_at = now_iso();
  connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    stats.generations = layout.generations(connection);
    stats.totals = layout.totals(connection);
    stats.roots = layout.stored_roots(connection);
    for (const DigestGeneration& generation : stats.generations) {
      if (!generation.active) {
        stats.other_generations[generation.generation] =
            layout.reading_generation(connection, generation.generation)->stored_roots(connection);
      }
    }
    if (options.detailed || options.by_type) {
      stats.tenants = layout.tenant_totals(connection);
    }
    if (options.by_type) {
      stats.kinds = layout.kind_totals(connection);
      stats.media_types = layout.media_type_totals(connection);
    }
  } catch (...) {
    connection.rollback();
    throw;
  }
  connection.rollback();
  return stats;
}

std::string stats_to_json(const StoreStats& stats) {
  JsonOutput json;
  auto& w = json.writer();
  const std::optional<std::string> global_root =
      stats.roots.global ? std::optional<std::string>(stats.roots.global->root) : std::nullopt;
  w.StartObject();
  json.text("schemaVersion", stats.schema_version);
  json.text("database", stats.database);
  json.text("generatedAt", stats.generated_at);
  json.text("algorithm", stats.roots.algorithm);
  json.optional_text("globalRoot", global_root);
  json.integer("tenants", stats.totals.tenants);
  json.integer("bundles", stats.totals.bundles);
  json.integer("artifacts", stats.totals.artifacts);
  json.integer("bytes", stats.totals.bytes);
  json.integer("attestations", stats.totals.attestations);
  json.key("legalHolds");
  w.StartObject();
  json.integer("active", stats.totals.legal_holds_active);
  json.integer("released", stats.totals.legal_holds_released);
  w.EndObject();
  write_generations(json, stats, "");
  if (stats.options.detailed) {
    json.key("perTenant");
    w.StartArray();
    for (const TenantTotals& tenant : stats.tenants) {
      const StoredTenantRoot* root = tenant_root(stats.roots, tenant.tenant_id);
      const std::optional<std::string> root_text =
          root ? std::optional<std::string>(root->root) : std::nullopt;
      w.StartObject();
      json.text("tenant", tenant.tenant_id);
      json.integer("bundles", tenant.bundles);
      json.integer("artifacts", tenant.artifacts);
      json.integer("bytes", tenant.bytes);
      json.integer("attestations", tenant.attestations);
      json.integer("legalHoldsActive", tenant.legal_holds_active);
      json.optional_text("root", root_text);
      json.optional_text("rootComputedAt",
                         root ? std::optional<std::string>(root->computed_at) : std::nullopt);
      json.optional_text("oldestCreatedAt", tenant.oldest_created_at);
      json.optional_text("newestCreatedAt", tenant.newest_created_at);
      write_generations(json, stats, tenant.tenant_id);
      w.EndObject();
    }
    w.EndArray();
  }
  if (stats.options.by_type) {
    write_by_type(json, stats);
  }
  w.EndObject();
  return json.finish();
}

// Tenant names, kinds, media types and roots are whatever the store holds: escaped for the
// terminal, so that a line break or an escape sequence in one cannot print a line of its own.
std::string stats_to_text(const StoreStats& stats) {
  using sdk::printable_text;
  std::ostringstream out;
  out << "evidence store in database " << printable_text(stats.database) << " (schema "
      << printable_text(stats.schema_version) << ", " << printable_text(stats.roots.algorithm)
      << ")\n"
      << "  tenants       " << stats.totals.tenants << '\n'
      << "  bundles       " << stats.totals.bundles << '\n'
      << "  artifacts     " << stats.totals.artifacts << " (" << human_bytes(stats.totals.bytes)
      << ")\n"
      << "  attestations  " << stats.totals.attestations << '\n'
      << "  legal holds   " << stats.totals.legal_holds_active << " active, "
      << stats.totals.legal_holds_released << " released\n"
      << "  global root   "
      << (stats.roots.global ? printable_text(stats.roots.global->root) : "(none)") << '\n';
  if (stats.options.detailed) {
    out << "\nper tenant:\n";
    for (const TenantTotals& tenant : stats.tenants) {
      const StoredTenantRoot* root = tenant_root(stats.roots, tenant.tenant_id);
      out << "  " << printable_text(tenant.tenant_id) << ": " << tenant.bundles << " bundles, "
          << tenant.artifacts << " artifacts (" << human_bytes(tenant.bytes) << "), "
          << tenant.legal_holds_active << " active holds, created "
          << tenant.oldest_created_at.value_or("-") << " .. "
          << tenant.newest_created_at.value_or("-") << "\n    root "
          << (root ? printable_text(root->root) : "(none)") << '\n';
    }
  }
  if (stats.options.by_type) {
    out << "\nby type:\n";
    for (const TenantTotals& tenant : stats.tenants) {
      out << "  " << printable_text(tenant.tenant_id) << ":\n";
      for (const KindTotals& kind : stats.kinds) {
        if (kind.tenant_id == tenant.tenant_id) {
          out << "    kind " << printable_text(kind.kind) << ": " << kind.bundles << " bundles, "
              << kind.artifacts << " artifacts (" << human_bytes(kind.bytes) << ")\n";
        }
      }
      for (const MediaTypeTotals& type : stats.media_types) {
        if (type.tenant_id == tenant.tenant_id) {
          out << "    " << printable_text(type.media_type) << ": " << type.artifacts
              << " artifacts (" << human_bytes(type.bytes) << ")\n";
        }
      }
    }
  }
  return out.str();
}

}  // namespace stella::host
