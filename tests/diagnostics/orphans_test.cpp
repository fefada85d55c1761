// `stella evidence orphans --list | --quarantine`: orphans made the way they appear in real stores
// (FK triggers off through session_replication_role = replica, a dropped constraint) are listed by
// kind; quarantine moves them whole into evidence_quarantine.records with a "quarantine" audit
// event, never moves what a legal hold covers, and never moves intact sealed evidence.
#include <boost/test/unit_test.hpp>

#include "diagnostics/diagnostics_fixture.hpp"

using stella::test::EvidenceStore;
using stella::test::has_item;
using stella::test::json_run;
using stella::test::member;

namespace {

constexpr const char* kSchema = "orphans-report.schema.json";
constexpr const char* kDigest =
    "sha256:1111111111111111111111111111111111111111111111111111111111111111";

/// Rows that reference nothing, written with FK triggers off as a replica import would.
void make_orphans(EvidenceStore& store) {
  auto& sql = store.sql();
  sql.exec("BEGIN");
  sql.exec("SET LOCAL session_replication_role = replica");
  sql.exec(
      "INSERT INTO evidence.artifacts (bundle_id, path, media_type, size_bytes, digest, content) "
      "VALUES ('ghost-bundle', 'sbom.json', 'application/json', 2, $1, '\\x7b7d')",
      {kDigest});
  sql.exec(
      "INSERT INTO evidence.bundles (bundle_id, tenant_id, kind, subject, created_at, sealed_at, "
      "bundle_root) VALUES ('lost-bundle', 'ghost-tenant', 'job', 'repo', now(), now(), $1)",
      {kDigest});
  sql.exec(
      "INSERT INTO evidence.artifacts (bundle_id, path, media_type, size_bytes, digest, content) "
      "VALUES ('lost-bundle', 'scan.json', 'application/json', 2, $1, '\\x7b7d')",
      {kDigest});
  sql.exec("COMMIT");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(orphans)

BOOST_AUTO_TEST_CASE(clean_store_has_none_and_exits_zero) {
  EvidenceStore store("orphans_clean");
  store.init_and_seed();
  const auto report = json_run(store, {"evidence", "orphans", "--list"}, 0, kSchema);
  BOOST_TEST(report["total"].GetInt64() == 0);
  BOOST_TEST(report["kinds"].Size() > 0U);
  const auto text = store.stella({"evidence", "orphans", "--list"});
  BOOST_TEST(text.exit_code == 0);
  BOOST_TEST(stella::test::mentions(text.out, ": 0"));
}

BOOST_AUTO_TEST_CASE(replica_rows_are_listed_by_kind_and_quarantined_with_audit) {
  EvidenceStore store("orphans_replica");
  store.init_and_seed();
  make_orphans(store);
  const auto listed = json_run(store, {"evidence", "orphans", "--list"}, 1, kSchema);
  BOOST_TEST(has_item(
      listed["orphans"],
      {{"kind", "artifact_without_bundle"}, {"bundle", "ghost-bundle"}, {"key", "sbom.json"}}));
  BOOST_TEST(has_item(
      listed["orphans"],
      {{"kind", "bundle_without_tenant"}, {"tenant", "ghost-tenant"}, {"bundle", "lost-bundle"}}));
  BOOST_TEST(listed["total"].GetInt64() == 2);

  // integrity-check sees the damage too, and points at orphans.
  const auto integrity = store.stella({"evidence", "integrity-check"});
  BOOST_TEST(integrity.exit_code == 1, integrity.out << integrity.err);

  const auto moved = json_run(store, {"evidence", "orphans", "--quarantine"}, 0, kSchema);
  BOOST_TEST(moved["quarantine"]["movedTotal"].GetInt64() == 3);  // the lost bundle's artifact too
  BOOST_TEST(moved["quarantine"]["keptTotal"].GetInt64() == 0);
  const auto event = moved["quarantine"]["auditEventId"].GetInt64();
  BOOST_TEST(event > 0);
  BOOST_TEST(store.scalar("SELECT event_type FROM stella.audit_events WHERE id = " +
                          std::to_string(event)) == "quarantine");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence_quarantine.records WHERE "
                          "audit_event_id = " +
                          std::to_string(event)) == "3");
  // Moved whole: the row's bytes are in the quarantine record and can go back.
  BOOST_TEST(store.scalar("SELECT row_data->>'content' FROM evidence_quarantine.records WHERE "
                          "source_table = 'evidence.artifacts' AND row_data->>'path' = "
                          "'sbom.json'") == "\\x7b7d");
  // The store is whole again.
  json_run(store, {"evidence", "orphans", "--list"}, 0, kSchema);
  const auto after = store.stella({"evidence", "integrity-check", "--deep"});
  BOOST_TEST(after.exit_code == 0, after.out << after.err);
  const auto audit = store.stella({"evidence", "audit", "verify"});
  BOOST_TEST(audit.exit_code == 0, audit.out << audit.err);
  const auto list = store.stella({"evidence", "audit", "list", "--type", "quarantine"});
  BOOST_TEST(stella::test::mentions(list.out, "quarantine"), list.out);
}

BOOST_AUTO_TEST_CASE(legal_hold_and_sealed_evidence_are_never_moved) {
  EvidenceStore store("orphans_hold");
  store.init_and_seed();
  make_orphans(store);
  auto& sql = store.sql();
  // A hold on the tenantless bundle keeps it (and its artifacts) in place.
  sql.exec("BEGIN");
  sql.exec("SET LOCAL session_replication_role = replica");
  sql.exec(
      "INSERT INTO evidence.legal_holds (hold_id, tenant_id, bundle_id, case_reference, reason, "
      "placed_by, placed_at) VALUES ('hold-9', 'ghost-tenant', 'lost-bundle', 'CASE-9', "
      "'litigation', 'legal', now())");
  sql.exec("COMMIT");
  // Sealed, intact evidence that no root covers: a new tenant whose roots were never computed.
  sql.exec("INSERT INTO evidence.tenants (tenant_id, display_name) VALUES ('zeta', 'Zeta')");
  sql.exec(
      "INSERT INTO evidence.bundles (bundle_id, tenant_id, kind, subject, created_at, sealed_at, "
      "bundle_root) VALUES ('zeta-1', 'zeta', 'job', 'repo', now(), now(), "
      "'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')");

  const auto listed = json_run(store, {"evidence", "orphans", "--list"}, 1, kSchema);
  BOOST_TEST(has_item(listed["orphans"],
                      {{"kind", "bundle_not_in_roots"}, {"tenant", "zeta"}, {"bundle", "zeta-1"}}));
  bool held = false;
  for (const auto& orphan : listed["orphans"].GetArray()) {
    if (member(orphan, "bundle") == "lost-bundle") {
      held = orphan["held"].GetBool();
    }
  }
  BOOST_TEST(held);

  const auto moved = json_run(store, {"evidence", "orphans", "--quarantine"}, 1, kSchema);
  BOOST_TEST(moved["quarantine"]["movedTotal"].GetInt64() == 1);  // only the ghost artifact
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.bundles WHERE bundle_id IN "
                          "('lost-bundle', 'zeta-1')") == "2");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifacts WHERE bundle_id = "
                          "'lost-bundle'") == "1");
  const auto text = store.stella({"evidence", "orphans", "--list"});
  BOOST_TEST(stella::test::mentions(text.out, "legal hold: never quarantined"), text.out);
}

BOOST_AUTO_TEST_CASE(list_and_quarantine_together_is_bad_input) {
  EvidenceStore store("orphans_usage");
  store.init_and_seed();
  const auto both = store.stella({"evidence", "orphans", "--list", "--quarantine"});
  BOOST_TEST(both.exit_code == 2);
  const auto none = store.stella({"evidence", "orphans"});
  BOOST_TEST(none.exit_code == 2);
  BOOST_TEST(stella::test::mentions(none.err, "--list or --quarantine"));
}

BOOST_AUTO_TEST_SUITE_END()
