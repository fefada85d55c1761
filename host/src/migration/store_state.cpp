// A store's version and roots, as a run records them before it starts and checks them after.
#include "stella/host/migration/store_state.hpp"
#include "stella/host/merkle/hasher_for_algorithm.hpp"

#include <map>

#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::host {
namespace {

std::string now_iso8601(PgConnection& connection) {
  return std::string(connection
                         .exec("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                               "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
                         .get(0, 0));
}

}  // namespace

StoreState capture_store_state(PgConnection& connection) {
  const auto layout = open_store_layout_during_migration(connection);
  StoreState state;
  state.database = database_name(connection);
  state.schema_version = layout->schema_version();
  state.captured_at = now_iso8601(connection);

  const StoredRoots stored = layout->stored_roots(connection);
  state.generation = stored.generation;
  state.algorithm = stored.algorithm;
  state.stored_global_root = stored.global ? stored.global->root : std::string();

  const auto hasher = hasher_for_algorithm(stored.algorithm);
  const ComputedRoots computed = compute_roots(connection, *layout, *hasher);
  state.global_root = computed.global_root;
  state.tenant_count = static_cast<std::int64_t>(computed.tenants.size());
  state.bundle_count = computed.bundle_count;
  state.artifact_count = computed.artifact_count;
  for (const StoredTenantRoot& tenant : computed.tenants) {
    state.tenants.push_back(TenantRootState{tenant.tenant_id, tenant.root});
  }

  if (state.stored_global_root != state.global_root) {
    state.inconsistencies.push_back(
        "the stored global root is " +
        (state.stored_global_root.empty() ? std::string("missing") : state.stored_global_root) +
        ", but the stored bundle roots give " + state.global_root);
  }
  std::map<std::string, std::string> stored_tenants;
  for (const StoredTenantRoot& tenant : stored.tenants) {
    stored_tenants.emplace(tenant.tenant_id, tenant.root);
  }
  for (const StoredTenantRoot& tenant : computed.tenants) {
    const auto found = stored_tenants.find(tenant.tenant_id);
    if (found == stored_tenants.end()) {
      if (tenant.bundle_count > 0) {
        state.inconsistencies.push_back("tenant " + tenant.tenant_id +
                                        " has bundles but no stored root");
      }
    } else if (found->second != tenant.root) {
      state.inconsistencies.push_back("tenant " + tenant.tenant_id + ": stored root " +
                                      found->second + ", but its bundle roots give " + tenant.root);
    }
  }
  return state;
}

std::vector<std::string> store_root_differences(const StoreState& expected,
                                                const StoreState& actual) {
  std::vector<std::string> differences;
  const auto compare = [&](const std::string& what, const std::string& want,
                           const std::string& found) {
    if (want != found) {
      differences.push_back(what + ": expected " + (want.empty() ? "none" : want) + ", found " +
                            (found.empty() ? "none" : found));
    }
  };
  compare("global root", expected.global_root, actual.global_root);
  compare("stored global root", expected.stored_global_root, actual.stored_global_root);
  std::map<std::string, std::string> actual_tenants;
  for (const TenantRootState& tenant : actual.tenants) {
    actual_tenants.emplace(tenant.tenant, tenant.root);
  }
  for (const TenantRootState& tenant : expected.tenants) {
    const auto found = actual_tenants.find(tenant.tenant);
    compare("tenant " + tenant.tenant + " root", tenant.root,
            found == actual_tenants.end() ? std::string() : found->second);
    if (found != actual_tenants.end()) {
      actual_tenants.erase(found);
    }
  }
  for (const auto& [tenant, root] : actual_tenants) {
    compare("tenant " + tenant + " root", std::string(), root);
  }
  return differences;
}

}  // namespace stella::host
