// `migrate` 1.0 -> 2.0: the same roots, a clean verify-all, the catalog of a store created at 2.0,
// row-level security, audit events in the chain, and every earlier verb working on the result.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "migration/catalog_description.hpp"
#include "migration/migration_fixture.hpp"
#include "support/json_event_lines.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(migrate)

BOOST_AUTO_TEST_CASE(keeps_the_roots_and_passes_verify_all) {
  MigrationStore store("mig_run");
  store.init_and_seed();
  const ExportedRoots before = store.roots();

  const auto result =
      store.expect(0, migrate_1_0_to_2_0({"--batch-size", kSmallBatch, "--format", "json"}));
  const rapidjson::Document outcome = valid_json(result.out, "migration-run.schema.json");
  BOOST_TEST(std::string(outcome["status"].GetString()) == "completed");
  BOOST_TEST(std::string(outcome["globalRootAfter"].GetString()) == before.global_root);

  BOOST_TEST(store.schema_version() == "2.0");
  const ExportedRoots after = store.roots();
  BOOST_TEST(after.schema_version == "2.0");
  BOOST_TEST(after.global_root == before.global_root);
  BOOST_TEST(after.tenants == before.tenants);
  store.expect(0, {"evidence", "verify-all"});

  // The data moved: bytes once per content address, a generation-1 digest per artifact,
  // attestations in their own table, nothing left of the 1.0 layout.
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifacts") == "40");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests WHERE generation = 1") ==
             "40");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.attestations") == "10");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifacts a JOIN evidence.contents c "
                          "USING (content_address) WHERE 'sha256:' || encode(sha256(c.content), "
                          "'hex') <> a.content_address") == "0");
  BOOST_TEST(store.scalar("SELECT to_regclass('evidence.store_root') IS NULL AND "
                          "to_regclass('evidence.artifacts_next') IS NULL") == "t");

  const auto run = store.last_run();
  BOOST_TEST(run.status == "completed");
  BOOST_TEST(store.audit_events("migration_start", run.run_id) == 1);
  BOOST_TEST(store.audit_events("schema_change", run.run_id) == 2);
  store.expect(0, {"evidence", "audit", "verify"});

  const auto status = store.expect(0, {"evidence", "migrate", "--status", "--format", "json"});
  const rapidjson::Document status_json = valid_json(status.out, "migration-status.schema.json");
  BOOST_TEST(std::string(status_json["schemaVersion"].GetString()) == "2.0");
  BOOST_TEST(status_json["lockHolder"].IsNull());
  BOOST_TEST(std::string(status_json["run"]["status"].GetString()) == "completed");
  BOOST_TEST(status_json["run"]["steps"][0]["upCheckpoint"]["batches"].GetInt64() > 2);
  const auto status_text = store.expect(0, {"evidence", "migrate", "--status"});
  BOOST_TEST(mentions(status_text.out, "Last run " + std::to_string(run.run_id) +
                                           ": migrate 1.0 \u2192 2.0, completed"));

  const auto logs = store.expect(0, {"evidence", "migrate", "--logs", "--format", "json"});
  const rapidjson::Document logs_json = valid_json(logs.out, "migration-logs.schema.json");
  BOOST_TEST(logs_json["log"].Size() > 3U);
  BOOST_TEST(logs_json["auditEvents"].Size() == 3U);
  const auto logs_text = store.expect(0, {"evidence", "migrate", "--logs"});
  BOOST_TEST(mentions(logs_text.out, "migration_start"));
  BOOST_TEST(mentions(logs_text.out, "schema_change"));
}

BOOST_AUTO_TEST_CASE(with_progress_format_json_every_line_on_stderr_is_an_event) {
  MigrationStore store("mig_json_events");
  store.init_and_seed();
  std::vector<std::string> args = {"--database", store.conninfo(), "--progress-format", "json"};
  for (const auto& arg : migrate_1_0_to_2_0({"--batch-size", kSmallBatch})) {
    args.push_back(arg);
  }
  const ProcessResult result = run_stella(args);
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  std::set<std::string> events;
  bool step_message_seen = false;
  for (const rapidjson::Document& event : json_event_lines(result.err)) {
    events.insert(event["event"].GetString());
    step_message_seen =
        step_message_seen || (event.HasMember("run") && event.HasMember("step") &&
                              mentions(event["message"].GetString(), "completed and verified"));
  }
  BOOST_TEST((events == std::set<std::string>{"log", "progress"}), result.err);
  BOOST_TEST(step_message_seen, result.err);
}

BOOST_AUTO_TEST_CASE(the_migrated_catalog_equals_a_store_created_at_2_0) {
  MigrationStore migrated("mig_catalog");
  migrated.init_and_seed();
  migrated.expect(0, migrate_1_0_to_2_0());
  MigrationStore fresh("mig_fresh");
  fresh.expect(0, {"evidence", "init", "--schema-version", "2.0"});
  const auto expected = fresh.catalog();
  const auto actual = migrated.catalog();
  BOOST_TEST(expected.size() > 100U);
  BOOST_TEST(catalog_difference(expected, actual) == "");
}

BOOST_AUTO_TEST_CASE(every_earlier_verb_works_on_the_migrated_store) {
  MigrationStore store("mig_verbs");
  store.init_and_seed();
  store.expect(0, migrate_1_0_to_2_0());

  valid_json(store.expect(0, {"evidence", "stats"}).out, "stats.schema.json");
  const auto detailed = store.expect(0, {"evidence", "stats", "--detailed"});
  const rapidjson::Document detailed_json = valid_json(detailed.out, "stats.schema.json");
  BOOST_TEST(std::string(detailed_json["schemaVersion"].GetString()) == "2.0");
  valid_json(store.expect(0, {"evidence", "stats", "--by-type"}).out, "stats.schema.json");
  store.expect(0, {"evidence", "stats", "--detailed", "--by-type", "--format", "text"});

  const std::filesystem::path directory =
      std::filesystem::temp_directory_path() / ("stella-verbs-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const std::string report = (directory / "verify.json").string();
  store.expect(0, {"evidence", "verify-all", "--output", report});
  std::ifstream file(report);
  std::stringstream written;
  written << file.rdbuf();
  valid_json(written.str(), "verify-report.schema.json");
  std::filesystem::remove_all(directory);

  // init on the existing store says so and changes nothing, with or without the version.
  const std::string rows = store.evidence_rows_digest();
  BOOST_TEST(
      mentions(store.expect(0, {"evidence", "init"}).out, "already initialised at schema 2.0"));
  store.expect(0, {"evidence", "init", "--schema-version", "2.0"});
  BOOST_TEST(store.evidence_rows_digest() == rows);

  // seed adds evidence in the 2.0 layout, and the store stays consistent.
  const std::string root_before_seed = store.roots().global_root;
  store.expect(0, {"evidence", "seed", "--tenants", "3", "--bundles", "2", "--seed", "5", "--since",
                   "2026-01-01"});
  BOOST_TEST(store.roots().global_root != root_before_seed);
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.bundles") == "16");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.bundles b WHERE NOT EXISTS (SELECT 1 "
                          "FROM evidence.bundle_roots r WHERE r.bundle_id = b.bundle_id)") == "0");
  store.expect(0, {"evidence", "verify-all"});
  valid_json(store.expect(0, {"evidence", "roots-export", "--tenant", "acme"}).out,
             "roots-export.schema.json");
}

BOOST_AUTO_TEST_CASE(row_level_security_isolates_tenants) {
  MigrationStore store("mig_rls");
  store.init_and_seed();
  store.expect(0, migrate_1_0_to_2_0());
  const std::string role = "stella_rls_reader_" + std::to_string(::getpid());
  auto& sql = store.sql();
  sql.exec("CREATE ROLE " + role);
  sql.exec("GRANT USAGE ON SCHEMA evidence TO " + role);
  sql.exec("GRANT SELECT ON ALL TABLES IN SCHEMA evidence TO " + role);
  sql.exec("BEGIN");
  sql.exec("SET LOCAL ROLE " + role);
  sql.exec("SELECT set_config('stella.tenant', 'acme', true)");
  const std::string tenants_seen = store.scalar(
      "SELECT count(DISTINCT tenant_id) || '/' || min(tenant_id) FROM "
      "evidence.artifacts");
  const std::string bundles_seen = store.scalar("SELECT count(*) FROM evidence.bundles");
  sql.exec("ROLLBACK");
  sql.exec("REVOKE ALL ON ALL TABLES IN SCHEMA evidence FROM " + role);
  sql.exec("REVOKE ALL ON SCHEMA evidence FROM " + role);
  sql.exec("DROP ROLE " + role);
  BOOST_TEST(tenants_seen == "1/acme");
  BOOST_TEST(bundles_seen == "5");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
