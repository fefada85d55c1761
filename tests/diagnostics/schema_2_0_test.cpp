// The diagnostics on a schema 2.0 store (digest generations, content-addressed contents, the
// attestations table): integrity-check --deep passes on a clean store and names schema drift of
// the 2.0 objects and a kind and seal time the attestation does not sign; orphans finds and
// quarantines 2.0's own kinds; reconcile reads the 2.0 sample.
#include <boost/test/unit_test.hpp>

#include "diagnostics/diagnostics_fixture.hpp"

using stella::test::EvidenceStore;
using stella::test::has_item;
using stella::test::json_run;
using stella::test::member;

namespace {

constexpr const char* kUnusedContent =
    "sha256:2222222222222222222222222222222222222222222222222222222222222222";

/// A seeded store created at schema 2.0.
void init_2_0(EvidenceStore& store) {
  const auto init = store.stella({"evidence", "init", "--schema-version", "2.0"});
  BOOST_TEST_REQUIRE(init.exit_code == 0, init.out << init.err);
  const auto seed = store.stella({"evidence", "seed", "--tenants", "2", "--bundles", "5",
                                  "--artifacts-per-bundle", "4", "--seed", "7", "--since",
                                  stella::test::kSeedSince});
  BOOST_TEST_REQUIRE(seed.exit_code == 0, seed.out << seed.err);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_2_0)

BOOST_AUTO_TEST_CASE(integrity_check_passes_and_names_2_0_drift) {
  EvidenceStore store("diag20_integrity");
  init_2_0(store);
  const auto clean =
      json_run(store, {"evidence", "integrity-check", "--deep"}, 0, "integrity-report.schema.json");
  BOOST_TEST(member(clean, "schemaVersion") == "2.0");
  BOOST_TEST(clean["problemCount"].GetInt64() == 0);

  store.sql().exec("ALTER TABLE evidence.tenant_roots DISABLE ROW LEVEL SECURITY");
  store.sql().exec("ALTER TABLE evidence.artifact_digests DROP COLUMN digest CASCADE");
  const auto drift =
      json_run(store, {"evidence", "integrity-check"}, 1, "integrity-report.schema.json");
  BOOST_TEST(has_item(
      drift["problems"],
      {{"area", "schema"}, {"check", "row_security"}, {"object", "evidence.tenant_roots"}}));
  BOOST_TEST(has_item(drift["problems"], {{"area", "schema"},
                                          {"check", "missing_column"},
                                          {"object", "evidence.artifact_digests.digest"}}));
}

BOOST_AUTO_TEST_CASE(a_seal_time_and_kind_the_attestation_does_not_sign_are_named_in_2_0) {
  // 2.0 keeps attestations in a table of their own; the bundle row still holds kind and seal time.
  EvidenceStore store("diag20_signed_metadata");
  init_2_0(store);
  const std::string bundle = store.scalar(
      "SELECT bundle_id FROM evidence.bundles WHERE tenant_id = 'acme' "
      "ORDER BY sealed_at, bundle_id LIMIT 1");
  store.sql().exec(
      "UPDATE evidence.bundles SET sealed_at = sealed_at + interval '5 minutes', "
      "kind = CASE WHEN kind = 'job' THEN 'evaluation' ELSE 'job' END WHERE bundle_id = $1",
      {bundle});
  const auto deep =
      json_run(store, {"evidence", "integrity-check", "--deep"}, 1, "integrity-report.schema.json");
  for (const char* check : {"attestation_sealed_at", "attestation_kind"}) {
    BOOST_TEST(
        has_item(deep["problems"],
                 {{"area", "content"}, {"check", check}, {"tenant", "acme"}, {"bundle", bundle}}),
        check);
  }
  BOOST_TEST(deep["problemCount"].GetInt64() == 2);
  const auto verified = store.stella({"evidence", "verify-all"});
  BOOST_TEST(verified.exit_code == 1, verified.out << verified.err);
}

BOOST_AUTO_TEST_CASE(orphans_of_2_0_kinds_are_listed_and_quarantined) {
  EvidenceStore store("diag20_orphans");
  init_2_0(store);
  auto& sql = store.sql();
  // Content no artifact uses needs no trigger bypass: nothing references it.
  sql.exec(
      "INSERT INTO evidence.contents (content_address, size_bytes, content) VALUES ($1, 2, "
      "'\\x7b7d')",
      {kUnusedContent});
  sql.exec("BEGIN");
  sql.exec("SET LOCAL session_replication_role = replica");
  sql.exec(
      "INSERT INTO evidence.artifact_digests (bundle_id, path, generation, digest) VALUES "
      "('ghost-bundle', 'sbom.json', 1, $1)",
      {kUnusedContent});
  sql.exec(
      "INSERT INTO evidence.attestations (bundle_id, ordinal, tenant_id, payload_type, envelope) "
      "VALUES ('ghost-bundle', 1, 'acme', 'application/vnd.in-toto+json', '{}')");
  sql.exec("COMMIT");

  const auto listed =
      json_run(store, {"evidence", "orphans", "--list"}, 1, "orphans-report.schema.json");
  BOOST_TEST(
      has_item(listed["orphans"], {{"kind", "content_without_artifact"}, {"key", kUnusedContent}}));
  BOOST_TEST(has_item(listed["orphans"],
                      {{"kind", "digest_without_artifact"}, {"bundle", "ghost-bundle"}}));
  BOOST_TEST(has_item(listed["orphans"],
                      {{"kind", "attestation_without_bundle"}, {"bundle", "ghost-bundle"}}));
  BOOST_TEST(listed["total"].GetInt64() == 3);

  const auto moved =
      json_run(store, {"evidence", "orphans", "--quarantine"}, 0, "orphans-report.schema.json");
  BOOST_TEST(moved["quarantine"]["movedTotal"].GetInt64() == 3);
  json_run(store, {"evidence", "orphans", "--list"}, 0, "orphans-report.schema.json");
  const auto after = store.stella({"evidence", "integrity-check", "--deep"});
  BOOST_TEST(after.exit_code == 0, after.out << after.err);
}

BOOST_AUTO_TEST_CASE(reconcile_reads_the_2_0_sample) {
  EvidenceStore store("diag20_reconcile");
  init_2_0(store);
  stella::test::make_attestor_sample(store);
  const auto report = json_run(store, {"evidence", "reconcile", "--source", "attestor"}, 0,
                               "reconcile-report.schema.json");
  BOOST_TEST(member(report, "schemaVersion") == "2.0");
  BOOST_TEST(report["counts"]["matched"].GetInt64() == 10);
}

BOOST_AUTO_TEST_SUITE_END()
