// `stella evidence reconcile --source attestor`: against the sample attestor schema made by
// tools/make-attestor-sample.sh, the store is in sync; bundles lost from the store are missing,
// bundles the attestor never logged are extra, bundles whose recorded root or digests differ are
// mismatched — each named; --apply imports the missing ones through the attestor importer plugin
// and the normal import path, after which the roots are the original ones and verify-all passes.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "diagnostics/diagnostics_fixture.hpp"
#include "support/scratch_database.hpp"

using stella::test::EvidenceStore;
using stella::test::has_item;
using stella::test::json_run;
using stella::test::member;

namespace {

constexpr const char* kSchema = "reconcile-report.schema.json";
constexpr const char* kZeroDigest =
    "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// The n-th bundle of tenant `tenant` in Merkle order (0-based).
std::string bundle_at(EvidenceStore& store, const std::string& tenant, int n) {
  return store.scalar("SELECT bundle_id FROM evidence.bundles WHERE tenant_id = '" + tenant +
                      "' ORDER BY sealed_at, bundle_id OFFSET " + std::to_string(n) + " LIMIT 1");
}

/// Removes a bundle from the store as a lost restore would (no roots recomputed).
void lose_bundle(EvidenceStore& store, const std::string& bundle) {
  store.sql().exec("DELETE FROM evidence.legal_holds WHERE bundle_id = $1", {bundle});
  store.sql().exec("DELETE FROM evidence.artifacts WHERE bundle_id = $1", {bundle});
  store.sql().exec("DELETE FROM evidence.bundles WHERE bundle_id = $1", {bundle});
}

std::string global_root(EvidenceStore& store) {
  return store.scalar("SELECT root FROM evidence.store_root");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reconcile)

BOOST_AUTO_TEST_CASE(sample_attestor_is_in_sync) {
  EvidenceStore store("reconcile_sync");
  store.init_and_seed();
  stella::test::make_attestor_sample(store);
  const auto report =
      json_run(store, {"evidence", "reconcile", "--source", "attestor"}, 0, kSchema);
  BOOST_TEST(member(report, "result") == "in-sync");
  BOOST_TEST(member(report, "mode") == "dry-run");
  BOOST_TEST(member(report, "plugin") == "importer-attestor");
  BOOST_TEST(report["counts"]["sourceBundles"].GetInt64() == 10);
  BOOST_TEST(report["counts"]["matched"].GetInt64() == 10);
}

BOOST_AUTO_TEST_CASE(after_a_reindex_bundles_are_still_compared_by_value) {
  // The source keeps sha256; the store's active generation is sha512 after a reindex, but its
  // sha256 generation remains: a digest that differs there is named, not passed on its path.
  EvidenceStore store("reconcile_reindexed");
  store.init_and_seed();
  stella::test::make_attestor_sample(store);
  for (const std::vector<std::string>& step :
       {std::vector<std::string>{"evidence", "migrate", "--from-version", "1.0", "--to-version",
                                 "2.0"},
        std::vector<std::string>{"evidence", "reindex", "--algorithm", "sha512"}}) {
    const auto result = store.stella(step);
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  }
  json_run(store, {"evidence", "reconcile", "--source", "attestor"}, 0, kSchema);
  const std::string redigested = bundle_at(store, "acme", 3);
  const std::string path = store.scalar("SELECT path FROM evidence.artifacts WHERE bundle_id = '" +
                                        redigested + "' ORDER BY path LIMIT 1");
  store.sql().exec("SET session_replication_role = replica");
  store.sql().exec(
      "UPDATE evidence.artifact_digests SET digest = $1 WHERE generation = 1 AND bundle_id = $2 "
      "AND path = $3",
      {kZeroDigest, redigested, path});
  store.sql().exec("SET session_replication_role = origin");
  const auto report =
      json_run(store, {"evidence", "reconcile", "--source", "attestor"}, 1, kSchema);
  bool digest_named = false;
  for (const auto& bundle : report["mismatched"].GetArray()) {
    if (member(bundle, "bundle") == redigested) {
      digest_named =
          has_item(bundle["differences"],
                   {{"field", "artifact_digest"}, {"artifact", path}, {"store", kZeroDigest}});
    }
  }
  BOOST_TEST(digest_named, report["mismatched"].Size());
}

BOOST_AUTO_TEST_CASE(missing_extra_and_mismatched_are_named) {
  EvidenceStore store("reconcile_diff");
  store.init_and_seed();
  stella::test::make_attestor_sample(store);
  const std::string lost = bundle_at(store, "acme", 1);
  const std::string unlogged = bundle_at(store, "globex", 0);
  const std::string rerooted = bundle_at(store, "globex", 2);
  const std::string redigested = bundle_at(store, "acme", 3);
  lose_bundle(store, lost);
  store.sql().exec("DELETE FROM attestor.entries WHERE bundle_id = $1", {unlogged});
  store.sql().exec("UPDATE evidence.bundles SET bundle_root = $1 WHERE bundle_id = $2",
                   {kZeroDigest, rerooted});
  const std::string path = store.scalar("SELECT path FROM evidence.artifacts WHERE bundle_id = '" +
                                        redigested + "' ORDER BY path LIMIT 1");
  store.sql().exec("UPDATE evidence.artifacts SET digest = $1 WHERE bundle_id = $2 AND path = $3",
                   {kZeroDigest, redigested, path});

  const auto report =
      json_run(store, {"evidence", "reconcile", "--source", "attestor", "--dry-run"}, 1, kSchema);
  BOOST_TEST(member(report, "result") == "differs");
  BOOST_TEST(has_item(report["missing"], {{"tenant", "acme"}, {"bundle", lost}}));
  BOOST_TEST(has_item(report["extra"], {{"tenant", "globex"}, {"bundle", unlogged}}));
  BOOST_TEST(has_item(report["mismatched"], {{"bundle", rerooted}, {"storeRoot", kZeroDigest}}));
  bool digest_named = false;
  for (const auto& bundle : report["mismatched"].GetArray()) {
    if (member(bundle, "bundle") == redigested) {
      digest_named =
          has_item(bundle["differences"],
                   {{"field", "artifact_digest"}, {"artifact", path}, {"store", kZeroDigest}});
    }
  }
  BOOST_TEST(digest_named);
  BOOST_TEST(report["counts"]["matched"].GetInt64() == 6);
  // A dry run changes nothing.
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.bundles WHERE bundle_id = '" + lost +
                          "'") == "0");

  // --apply imports the missing bundle; the differences import cannot fix stay (exit 1).
  const auto applied =
      json_run(store, {"evidence", "reconcile", "--source", "attestor", "--apply"}, 1, kSchema);
  BOOST_TEST(applied["applied"]["imported"].GetInt64() == 1);
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.bundles WHERE bundle_id = '" + lost +
                          "'") == "1");
}

BOOST_AUTO_TEST_CASE(apply_restores_the_lost_bundles_and_the_original_roots) {
  EvidenceStore store("reconcile_apply");
  store.init_and_seed();
  const std::string original_root = global_root(store);
  stella::test::make_attestor_sample(store);
  const std::string lost_a = bundle_at(store, "acme", 0);
  const std::string lost_b = bundle_at(store, "globex", 4);
  lose_bundle(store, lost_a);
  lose_bundle(store, lost_b);
  const auto applied =
      json_run(store, {"evidence", "reconcile", "--source", "attestor", "--apply"}, 0, kSchema);
  BOOST_TEST(applied["applied"]["imported"].GetInt64() == 2);
  BOOST_TEST(member(applied["applied"], "globalRootAfter") == original_root);
  const auto event = applied["applied"]["auditEventId"].GetInt64();
  BOOST_TEST(store.scalar("SELECT event_type FROM stella.audit_events WHERE id = " +
                          std::to_string(event)) == "import");
  BOOST_TEST(global_root(store) == original_root);
  const auto verify = store.stella({"evidence", "verify-all"});
  BOOST_TEST(verify.exit_code == 0, verify.out << verify.err);
  json_run(store, {"evidence", "reconcile", "--source", "attestor"}, 0, kSchema);
}

BOOST_AUTO_TEST_CASE(source_database_and_source_file) {
  EvidenceStore store("reconcile_elsewhere");
  store.init_and_seed();
  stella::test::make_attestor_sample(store);
  stella::test::ScratchDatabase attestor("reconcile_attestor_db");
  // Move the attestor's schema to its own database.
  const auto moved = stella::test::run_shell(
      "pg_dump --schema attestor --dbname \"$FROM\" | psql --quiet --set ON_ERROR_STOP=1 "
      "--dbname \"$TO\" >/dev/null",
      {{"FROM", store.conninfo()}, {"TO", attestor.conninfo()}});
  BOOST_TEST_REQUIRE(moved.exit_code == 0, moved.err);
  store.sql().exec("DROP SCHEMA attestor CASCADE");

  const auto none = store.stella({"evidence", "reconcile", "--source", "attestor"});
  BOOST_TEST(none.exit_code == 3, none.out << none.err);
  BOOST_TEST(stella::test::mentions(none.err, "attestor.entries"));

  const auto report = json_run(
      store,
      {"evidence", "reconcile", "--source", "attestor", "--source-database", attestor.conninfo()},
      0, kSchema);
  BOOST_TEST(report["counts"]["matched"].GetInt64() == 10);
  // The hint to import what is missing names the same source, not the store's own records.
  lose_bundle(store, bundle_at(store, "acme", 1));
  const auto differs = store.stella(
      {"evidence", "reconcile", "--source", "attestor", "--source-database", attestor.conninfo()});
  BOOST_TEST(differs.exit_code == 1, differs.out << differs.err);
  BOOST_TEST(stella::test::mentions(differs.out,
                                    "to import the missing bundles: stella evidence reconcile "
                                    "--source attestor --source-database '" +
                                        attestor.conninfo() + "' --apply"),
             differs.out);
  const auto applied = store.stella({"evidence", "reconcile", "--source", "attestor",
                                     "--source-database", attestor.conninfo(), "--apply"});
  BOOST_TEST(applied.exit_code == 0, applied.out << applied.err);

  // The documented NDJSON export, written by hand from the attestor's tables.
  const std::string file = "/tmp/stella-attestor-" + attestor.name() + ".ndjson";
  const auto exported = stella::test::run_shell(
      "psql --no-psqlrc --tuples-only --no-align --dbname \"$TO\" --command \""
      "SELECT json_build_object('record','header','format','stella-attestor-export','version',1)"
      "\" > \"$FILE\" && psql --no-psqlrc --tuples-only --no-align --dbname \"$TO\" --command \""
      "SELECT json_build_object('record','entry','tenant',tenant_id,'bundleId',bundle_id,'kind',"
      "kind,'status',status,'subject',subject,'createdAt',to_char(created_at AT TIME ZONE 'UTC',"
      "'YYYY-MM-DD\\\"T\\\"HH24:MI:SS.US\\\"Z\\\"'),'sealedAt',to_char(sealed_at AT TIME ZONE "
      "'UTC','YYYY-MM-DD\\\"T\\\"HH24:MI:SS.US\\\"Z\\\"'),'bundleRoot',bundle_root,'envelope',"
      "envelope,'artifacts',artifacts) FROM attestor.entries ORDER BY bundle_id\" >> \"$FILE\"",
      {{"TO", attestor.conninfo()}, {"FILE", file}});
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.err);
  const auto from_file = json_run(
      store, {"evidence", "reconcile", "--source", "attestor", "--source-file", file}, 0, kSchema);
  BOOST_TEST(from_file["counts"]["matched"].GetInt64() == 10);
  BOOST_TEST(member(from_file, "sourceLocation") == file);

  // A line that breaks the format is bad input (exit 2), naming the file and the line.
  stella::test::run_shell("echo '{\"record\":\"entry\",\"tenant\":\"acme\"}' >> \"$FILE\"",
                          {{"FILE", file}});
  const auto broken =
      store.stella({"evidence", "reconcile", "--source", "attestor", "--source-file", file});
  BOOST_TEST(broken.exit_code == 2, broken.out << broken.err);
  BOOST_TEST(stella::test::mentions(broken.err, file + ": line 12"));
  std::filesystem::remove(file);

  const auto unknown = store.stella({"evidence", "reconcile", "--source", "ledger"});
  BOOST_TEST(unknown.exit_code == 2);
  BOOST_TEST(stella::test::mentions(unknown.err, "known sources: attestor"));
}

BOOST_AUTO_TEST_SUITE_END()
