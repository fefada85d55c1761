// Orphan kinds per schema version. Each kind's list query and move condition are written from the
// same predicate, so what --list shows is exactly what --quarantine considers.
#include "diagnostics/orphan_kinds.hpp"

namespace stella::host {
namespace {

/// A legal hold covers a row of bundle B (tenant T): a hold record names the bundle (active or
/// released: the record is kept, and the bundle with it), or an active hold covers the tenant.
std::string held(const std::string& bundle, const std::string& tenant) {
  return "EXISTS (SELECT 1 FROM evidence.legal_holds h WHERE h.bundle_id = " + bundle +
         " OR (h.bundle_id IS NULL AND h.released_at IS NULL AND h.tenant_id = " + tenant + "))";
}

OrphanKind kind(std::string name, std::string table, std::string description,
                const std::string& predicate, const std::string& tenant, const std::string& bundle,
                const std::string& key, const std::string& order, bool movable,
                std::vector<DependentRows> dependents = {}, std::string kept_reason = {}) {
  OrphanKind k;
  k.kind = std::move(name);
  k.table = table;
  k.description = std::move(description);
  const std::string is_held = bundle == "NULL" ? "false" : held(bundle, tenant);
  k.list_sql = "SELECT " + tenant + "::text, " + bundle + "::text, " + key + "::text, " + is_held +
               " FROM " + table + " t WHERE " + predicate + " ORDER BY " + order;
  if (movable) {
    k.move_condition = "(" + predicate + ") AND NOT " + is_held;
  }
  k.dependents = std::move(dependents);
  k.kept_reason = std::move(kept_reason);
  return k;
}

constexpr const char* kNoBundle =
    "NOT EXISTS (SELECT 1 FROM evidence.bundles b WHERE b.bundle_id = t.bundle_id)";
constexpr const char* kNoTenant =
    "NOT EXISTS (SELECT 1 FROM evidence.tenants x WHERE x.tenant_id = t.tenant_id)";
constexpr const char* kSealedReason =
    "sealed evidence that is intact but not covered by the roots; it is never moved — recompute "
    "the roots or restore them from a backup";
constexpr const char* kHoldReason =
    "legal hold records are kept for the record; release or correct the hold by hand";

std::vector<OrphanKind> kinds_1_0() {
  return {
      kind("bundle_without_tenant", "evidence.bundles", "bundles whose tenant does not exist",
           kNoTenant, "t.tenant_id", "t.bundle_id", "t.kind", "t.tenant_id, t.bundle_id", true,
           {{"evidence.artifacts",
             "d.bundle_id IN (SELECT t.bundle_id FROM evidence.bundles t WHERE " +
                 std::string(kNoTenant) + " AND NOT " + held("t.bundle_id", "t.tenant_id") + ")"}}),
      kind("artifact_without_bundle", "evidence.artifacts", "artifacts whose bundle does not exist",
           kNoBundle, "NULL", "t.bundle_id", "t.path", "t.bundle_id, t.path", true),
      kind("legal_hold_without_bundle", "evidence.legal_holds",
           "legal holds naming a bundle that does not exist",
           "t.bundle_id IS NOT NULL AND " + std::string(kNoBundle), "t.tenant_id", "NULL",
           "t.hold_id", "t.hold_id", false, {}, kHoldReason),
      kind("root_without_tenant", "evidence.tenant_roots",
           "stored tenant roots of a tenant that does not exist", kNoTenant, "t.tenant_id", "NULL",
           "t.root", "t.tenant_id", true),
      kind("bundle_not_in_roots", "evidence.bundles",
           "bundles of a tenant that has no stored root (covered by no root)",
           "EXISTS (SELECT 1 FROM evidence.tenants x WHERE x.tenant_id = t.tenant_id) AND NOT "
           "EXISTS (SELECT 1 FROM evidence.tenant_roots r WHERE r.tenant_id = t.tenant_id)",
           "t.tenant_id", "t.bundle_id", "'tenant has no stored root'", "t.tenant_id, t.bundle_id",
           false, {}, kSealedReason),
      kind("tenant_root_count", "evidence.tenant_roots",
           "tenant roots computed over fewer or more bundles than the tenant holds (bundles "
           "missing from the roots)",
           "t.bundle_count <> (SELECT count(*) FROM evidence.bundles b WHERE b.tenant_id = "
           "t.tenant_id)",
           "t.tenant_id", "NULL",
           "'root covers ' || t.bundle_count || ' bundles; tenant holds ' || (SELECT count(*) FROM "
           "evidence.bundles b WHERE b.tenant_id = t.tenant_id)",
           "t.tenant_id", false, {}, kSealedReason),
  };
}

std::vector<OrphanKind> kinds_2_0() {
  const std::string active = "(SELECT generation FROM evidence.digest_generations WHERE active)";
  const std::string bundle_orphan_set = "(SELECT t.bundle_id FROM evidence.bundles t WHERE " +
                                        std::string(kNoTenant) + " AND NOT " +
                                        held("t.bundle_id", "t.tenant_id") + ")";
  const std::string artifact_orphan_set =
      "(SELECT t.bundle_id, t.path FROM evidence.artifacts t WHERE " + std::string(kNoBundle) +
      " AND NOT " + held("t.bundle_id", "t.tenant_id") + ")";
  return {
      kind("bundle_without_tenant", "evidence.bundles", "bundles whose tenant does not exist",
           kNoTenant, "t.tenant_id", "t.bundle_id", "t.kind", "t.tenant_id, t.bundle_id", true,
           {{"evidence.artifact_digests", "d.bundle_id IN " + bundle_orphan_set},
            {"evidence.artifacts", "d.bundle_id IN " + bundle_orphan_set},
            {"evidence.attestations", "d.bundle_id IN " + bundle_orphan_set},
            {"evidence.bundle_roots", "d.bundle_id IN " + bundle_orphan_set}}),
      kind("artifact_without_bundle", "evidence.artifacts", "artifacts whose bundle does not exist",
           kNoBundle, "t.tenant_id", "t.bundle_id", "t.path", "t.bundle_id, t.path", true,
           {{"evidence.artifact_digests", "(d.bundle_id, d.path) IN " + artifact_orphan_set}}),
      kind("attestation_without_bundle", "evidence.attestations",
           "attestations of a bundle that does not exist", kNoBundle, "t.tenant_id", "t.bundle_id",
           "'attestation ' || t.ordinal", "t.bundle_id, t.ordinal", true),
      kind("digest_without_artifact", "evidence.artifact_digests",
           "digests of an artifact that does not exist",
           "NOT EXISTS (SELECT 1 FROM evidence.artifacts a WHERE a.bundle_id = t.bundle_id AND "
           "a.path = t.path)",
           "NULL", "t.bundle_id", "'generation ' || t.generation || ' ' || t.path",
           "t.generation, t.bundle_id, t.path", true),
      kind("bundle_root_without_bundle", "evidence.bundle_roots",
           "stored bundle roots of a bundle that does not exist", kNoBundle, "NULL", "t.bundle_id",
           "'generation ' || t.generation", "t.generation, t.bundle_id", true),
      kind("content_without_artifact", "evidence.contents", "stored content that no artifact uses",
           "NOT EXISTS (SELECT 1 FROM evidence.artifacts a WHERE a.content_address = "
           "t.content_address)",
           "NULL", "NULL", "t.content_address", "t.content_address", true),
      kind("artifact_without_content", "evidence.artifacts",
           "artifacts whose stored content does not exist",
           "NOT EXISTS (SELECT 1 FROM evidence.contents c WHERE c.content_address = "
           "t.content_address)",
           "t.tenant_id", "t.bundle_id", "t.path || ' (' || t.content_address || ')'",
           "t.bundle_id, t.path", false, {},
           "the artifact is sealed evidence whose bytes are missing; restore them from a backup"),
      kind("legal_hold_without_bundle", "evidence.legal_holds",
           "legal holds naming a bundle that does not exist",
           "t.bundle_id IS NOT NULL AND " + std::string(kNoBundle), "t.tenant_id", "NULL",
           "t.hold_id", "t.hold_id", false, {}, kHoldReason),
      kind("root_without_tenant", "evidence.tenant_roots",
           "stored tenant roots of a tenant that does not exist", kNoTenant, "t.tenant_id", "NULL",
           "'generation ' || t.generation", "t.generation, t.tenant_id", true),
      kind("bundle_not_in_roots", "evidence.bundles",
           "bundles with no stored root in the active generation (covered by no root)",
           "EXISTS (SELECT 1 FROM evidence.tenants x WHERE x.tenant_id = t.tenant_id) AND NOT "
           "EXISTS (SELECT 1 FROM evidence.bundle_roots r WHERE r.bundle_id = t.bundle_id AND "
           "r.generation = " +
               active + ")",
           "t.tenant_id", "t.bundle_id", "'no bundle root in the active generation'",
           "t.tenant_id, t.bundle_id", false, {}, kSealedReason),
      kind("tenant_root_count", "evidence.tenant_roots",
           "active-generation tenant roots computed over fewer or more bundles than the tenant "
           "holds (bundles missing from the roots)",
           "t.generation = " + active +
               " AND t.bundle_count <> (SELECT count(*) FROM evidence.bundles b WHERE "
               "b.tenant_id = t.tenant_id)",
           "t.tenant_id", "NULL",
           "'root covers ' || t.bundle_count || ' bundles; tenant holds ' || (SELECT count(*) "
           "FROM evidence.bundles b WHERE b.tenant_id = t.tenant_id)",
           "t.tenant_id", false, {}, kSealedReason),
  };
}

}  // namespace

std::vector<OrphanKind> orphan_kinds(const std::string& schema_version) {
  if (schema_version == "1.0") {
    return kinds_1_0();
  }
  if (schema_version == "2.0") {
    return kinds_2_0();
  }
  return {};
}

}  // namespace stella::host
