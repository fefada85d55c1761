// Collecting and rendering `roots-export`.
#include "stella/host/evidence/roots_export.hpp"

#include <algorithm>
#include <chrono>
#include <sstream>

#include "evidence/json_output.hpp"
#include "stella/host/cli/did_you_mean.hpp"
#include "stella/host/evidence/pg_binary_copy.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/sdk/error.hpp"
#include "stella/sdk/printable_text.hpp"

namespace stella::host {

RootsExport collect_roots_export(PgConnection& connection, const StoreLayout& layout,
                                 const std::vector<std::string>& tenants) {
  RootsExport exported;
  exported.schema_version = layout.schema_version();
  exported.database = database_name(connection);
  exported.generated_at =
      iso8601_from_unix_micros(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
  exported.roots = layout.stored_roots(connection);
  if (!exported.roots.global) {
    throw sdk::Error(
        sdk::ErrorCode::refused,
        "the evidence store in database " + exported.database + " holds no global root",
        "run `stella evidence verify-all` to see what is missing");
  }
  if (tenants.empty()) {
    return exported;
  }
  std::vector<StoredTenantRoot> kept;
  for (const std::string& tenant : tenants) {
    const auto found =
        std::find_if(exported.roots.tenants.begin(), exported.roots.tenants.end(),
                     [&](const StoredTenantRoot& r) { return r.tenant_id == tenant; });
    if (found == exported.roots.tenants.end()) {
      std::string known;
      std::vector<std::string> ids;
      for (const auto& root : exported.roots.tenants) {
        known += (known.empty() ? "" : ", ") + root.tenant_id;
        ids.push_back(root.tenant_id);
      }
      const auto suggestion = closest_match(tenant, ids);
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--tenant " + tenant + ": the store has no root for tenant '" + tenant +
                           "'; tenants with roots: " + (known.empty() ? "(none)" : known),
                       suggestion ? "did you mean '" + *suggestion + "'?"
                                  : "check the tenant id (`stella evidence stats --detailed` "
                                    "lists them)");
    }
    if (std::none_of(kept.begin(), kept.end(),
                     [&](const StoredTenantRoot& r) { return r.tenant_id == tenant; })) {
      kept.push_back(*found);
    }
  }
  // Keep the Merkle order (tenant id) whatever order the flags came in.
  std::sort(kept.begin(), kept.end(), [](const StoredTenantRoot& a, const StoredTenantRoot& b) {
    return a.tenant_id < b.tenant_id;
  });
  exported.roots.tenants = std::move(kept);
  return exported;
}

std::string roots_export_to_json(const RootsExport& exported) {
  JsonOutput json;
  auto& w = json.writer();
  w.StartObject();
  json.text("globalRoot", exported.roots.global->root);
  json.text("algorithm", exported.roots.algorithm);
  json.integer("generation", exported.roots.generation);
  json.text("schemaVersion", exported.schema_version);
  json.text("database", exported.database);
  json.text("generatedAt", exported.generated_at);
  json.text("computedAt", exported.roots.global->computed_at);
  json.integer("tenantCount", exported.roots.global->tenant_count);
  json.integer("bundleCount", exported.roots.global->bundle_count);
  json.integer("artifactCount", exported.roots.global->artifact_count);
  json.key("tenants");
  w.StartArray();
  for (const StoredTenantRoot& tenant : exported.roots.tenants) {
    w.StartObject();
    json.text("tenant", tenant.tenant_id);
    json.text("root", tenant.root);
    json.integer("bundles", tenant.bundle_count);
    json.integer("artifacts", tenant.artifact_count);
    json.text("computedAt", tenant.computed_at);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return json.finish();
}

// Tenant names and stored roots are whatever the store holds: escaped for the terminal, so that a
// line break or an escape sequence in one cannot print a line of its own.
std::string roots_export_to_text(const RootsExport& exported) {
  using sdk::printable_text;
  std::ostringstream out;
  out << "global root " << printable_text(exported.roots.global->root) << " ("
      << printable_text(exported.roots.algorithm) << ", generation " << exported.roots.generation
      << ", schema " << printable_text(exported.schema_version) << ", database "
      << printable_text(exported.database) << ")\n";
  for (const StoredTenantRoot& tenant : exported.roots.tenants) {
    out << "  " << printable_text(tenant.tenant_id) << ' ' << printable_text(tenant.root) << ' '
        << tenant.bundle_count << " bundles, " << tenant.artifact_count << " artifacts\n";
  }
  return out.str();
}

}  // namespace stella::host
