// `stella evidence integrity-check [--deep]`: clean stores pass; real damage done through SQL is
// found and named by the right area and check, with exit 1; every report validates against
// schemas/integrity-report.schema.json and is recorded as a verification audit event.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "diagnostics/diagnostics_fixture.hpp"

using stella::test::EvidenceStore;
using stella::test::has_item;
using stella::test::json_run;
using stella::test::member;

namespace {

constexpr const char* kSchema = "integrity-report.schema.json";
constexpr const char* kZeroDigest =
    "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// The first bundle of tenant acme in Merkle order, and its first artifact.
struct Target {
  std::string bundle;
  std::string artifact;
};

Target first_bundle(EvidenceStore& store) {
  Target target;
  target.bundle = store.scalar(
      "SELECT bundle_id FROM evidence.bundles WHERE tenant_id = 'acme' "
      "ORDER BY sealed_at, bundle_id LIMIT 1");
  target.artifact = store.scalar("SELECT path FROM evidence.artifacts WHERE bundle_id = '" +
                                 target.bundle + "' ORDER BY path LIMIT 1");
  return target;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(integrity_check)

BOOST_AUTO_TEST_CASE(clean_store_passes_quick_and_deep_and_is_audited) {
  EvidenceStore store("integrity_clean");
  store.init_and_seed();
  const auto events_before =
      store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = 'verification'");
  for (const char* mode : {"quick", "deep"}) {
    std::vector<std::string> args = {"evidence", "integrity-check"};
    if (std::string(mode) == "deep") {
      args.push_back("--deep");
    }
    const auto report = json_run(store, args, 0, kSchema);
    BOOST_TEST(member(report, "result") == "pass");
    BOOST_TEST(member(report, "mode") == mode);
    BOOST_TEST(report["problemCount"].GetInt64() == 0);
    BOOST_TEST(report["areas"].Size() == (std::string(mode) == "deep" ? 5U : 3U));
    for (const auto& area : report["areas"].GetArray()) {
      BOOST_TEST(member(area, "result") == "pass", member(area, "area"));
      BOOST_TEST(area["checked"].GetInt64() > 0, member(area, "area"));
    }
  }
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = "
                          "'verification'") == std::to_string(std::stoi(events_before) + 2));
  // The text report says PASS and is what the runbook's operator reads.
  const auto text = store.stella({"evidence", "integrity-check"});
  BOOST_TEST(text.exit_code == 0, text.err);
  BOOST_TEST(stella::test::mentions(text.out, "integrity-check (quick): PASS"));
}

BOOST_AUTO_TEST_CASE(edited_digest_is_named_by_roots_quick_and_content_deep) {
  EvidenceStore store("integrity_digest");
  store.init_and_seed();
  const Target target = first_bundle(store);
  store.sql().exec("UPDATE evidence.artifacts SET digest = $1 WHERE bundle_id = $2 AND path = $3",
                   {kZeroDigest, target.bundle, target.artifact});
  const auto quick = json_run(store, {"evidence", "integrity-check"}, 1, kSchema);
  BOOST_TEST(has_item(quick["problems"], {{"area", "roots"},
                                          {"check", "bundle_root"},
                                          {"tenant", "acme"},
                                          {"bundle", target.bundle}}));
  const auto deep = json_run(store, {"evidence", "integrity-check", "--deep"}, 1, kSchema);
  BOOST_TEST(has_item(deep["problems"], {{"area", "content"},
                                         {"check", "artifact_digest"},
                                         {"bundle", target.bundle},
                                         {"artifact", target.artifact},
                                         {"expected", kZeroDigest}}));
  const auto text = store.stella({"evidence", "integrity-check", "--deep"});
  BOOST_TEST(text.exit_code == 1);
  BOOST_TEST(stella::test::mentions(text.out, "FAIL"));
  BOOST_TEST(stella::test::mentions(text.out, "[content/artifact_digest]"));
  BOOST_TEST(stella::test::mentions(text.out, target.artifact));
}

BOOST_AUTO_TEST_CASE(edited_stored_roots_are_named) {
  EvidenceStore store("integrity_roots");
  store.init_and_seed();
  store.sql().exec("UPDATE evidence.tenant_roots SET root = $1 WHERE tenant_id = 'globex'",
                   {kZeroDigest});
  const auto report = json_run(store, {"evidence", "integrity-check"}, 1, kSchema);
  BOOST_TEST(has_item(report["problems"], {{"area", "roots"},
                                           {"check", "tenant_root"},
                                           {"tenant", "globex"},
                                           {"expected", kZeroDigest}}));
  // The global root commits to the tenant roots as stored: it no longer matches either.
  BOOST_TEST(has_item(report["problems"], {{"area", "roots"}, {"check", "global_root"}}));
}

BOOST_AUTO_TEST_CASE(edited_and_deleted_audit_events_are_named) {
  EvidenceStore store("integrity_audit");
  store.init_and_seed();
  const std::string first = store.scalar("SELECT min(id) FROM stella.audit_events");
  // The audit trail refuses changes through its triggers; a tamperer with the rights to turn them
  // off (as a replica session does) is what the chain exists to expose.
  store.sql().exec("BEGIN");
  store.sql().exec("SET LOCAL session_replication_role = replica");
  store.sql().exec("UPDATE stella.audit_events SET operator = 'mallory' WHERE id = $1", {first});
  store.sql().exec("COMMIT");
  auto report = json_run(store, {"evidence", "integrity-check"}, 1, kSchema);
  BOOST_TEST(has_item(report["problems"], {{"area", "audit"}, {"check", "audit_chain.altered"}}));
  bool named = false;
  for (const auto& problem : report["problems"].GetArray()) {
    if (member(problem, "area") == "audit") {
      named = problem["eventId"].GetInt64() == std::stoll(first);
    }
  }
  BOOST_TEST(named);

  EvidenceStore second("integrity_audit_deleted");
  second.init_and_seed();
  const std::string seed_event =
      second.scalar("SELECT id FROM stella.audit_events WHERE event_type = 'seed'");
  second.sql().exec("BEGIN");
  second.sql().exec("SET LOCAL session_replication_role = replica");
  second.sql().exec("DELETE FROM stella.audit_events WHERE id = $1", {seed_event});
  second.sql().exec("COMMIT");
  report = json_run(second, {"evidence", "integrity-check"}, 1, kSchema);
  BOOST_TEST(has_item(report["problems"], {{"area", "audit"}, {"check", "audit_chain.missing"}}));
}

BOOST_AUTO_TEST_CASE(schema_drift_is_named_object_by_object) {
  EvidenceStore store("integrity_schema");
  store.init_and_seed();
  store.sql().exec("ALTER TABLE evidence.tenants DROP COLUMN created_at");
  store.sql().exec("ALTER TABLE evidence.bundles ADD COLUMN note text");
  store.sql().exec("ALTER TABLE evidence.artifacts DROP CONSTRAINT artifacts_bundle_id_fkey");
  store.sql().exec("DROP INDEX evidence.bundles_merkle_order");
  const auto report = json_run(store, {"evidence", "integrity-check"}, 1, kSchema);
  const auto& problems = report["problems"];
  BOOST_TEST(has_item(problems, {{"area", "schema"},
                                 {"check", "missing_column"},
                                 {"object", "evidence.tenants.created_at"}}));
  BOOST_TEST(has_item(
      problems,
      {{"area", "schema"}, {"check", "extra_column"}, {"object", "evidence.bundles.note"}}));
  BOOST_TEST(has_item(problems, {{"area", "schema"},
                                 {"check", "missing_constraint"},
                                 {"object",
                                  "artifacts: FOREIGN KEY (bundle_id) REFERENCES "
                                  "evidence.bundles(bundle_id)"}}));
  BOOST_TEST(has_item(problems, {{"area", "schema"}, {"check", "missing_index"}}));
  // Nothing else: the roots and the audit chain are intact.
  for (const auto& area : report["areas"].GetArray()) {
    if (member(area, "area") != "schema") {
      BOOST_TEST(member(area, "result") == "pass", member(area, "area"));
    }
  }
  // The expected objects were built in a scratch schema that was rolled back.
  BOOST_TEST(store.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = "
                          "'stella_expected_schema'") == "0");
}

BOOST_AUTO_TEST_CASE(schema_evidence_on_the_search_path_is_not_drift) {
  // A role named "evidence" has it through the default "$user", public; a database setting is the
  // same for every session and needs no role of its own.
  EvidenceStore store("integrity_search_path");
  store.init_and_seed();
  store.set_for_new_sessions("search_path = evidence, public");
  const auto report = json_run(store, {"evidence", "integrity-check"}, 0, kSchema);
  BOOST_TEST(report["problemCount"].GetInt64() == 0);
  for (const auto& problem : report["problems"].GetArray()) {
    BOOST_ERROR(member(problem, "message"));
  }
}

BOOST_AUTO_TEST_CASE(a_verb_that_meets_a_dropped_table_points_at_integrity_check) {
  // The store records schema 1.0, but a table of 1.0 is gone: verbs that read it cannot go on,
  // and their error says how to find out what else differs instead of only quoting PostgreSQL.
  EvidenceStore store("integrity_dropped");
  store.init_and_seed();
  store.sql().exec("DROP TABLE evidence.signing_keys CASCADE");
  // The export names a folder that does not exist yet: created for it, removed when it fails.
  const std::filesystem::path backups =
      std::filesystem::temp_directory_path() / ("stella-integrity-" + std::to_string(::getpid()));
  const std::filesystem::path output = backups / "nightly" / "evidence";
  for (const std::vector<std::string>& verb :
       {std::vector<std::string>{"evidence", "verify-all"},
        std::vector<std::string>{"evidence", "export", "--all", "--output", output.string()}}) {
    const stella::test::ProcessResult run = store.stella(verb);
    BOOST_TEST(run.exit_code == 3, verb[1] << ": " << run.err);
    BOOST_TEST(stella::test::mentions(run.err, "relation \"evidence.signing_keys\" does not exist"),
               run.err);
    BOOST_TEST(stella::test::mentions(run.err, "the store may be damaged"), run.err);
    BOOST_TEST(
        stella::test::mentions(run.err, "`stella evidence integrity-check` lists every object"),
        run.err);
  }
  BOOST_TEST(!std::filesystem::exists(backups), "the failed export left " << backups.string());
  const auto report = json_run(store, {"evidence", "integrity-check"}, 1, kSchema);
  BOOST_TEST(has_item(
      report["problems"],
      {{"area", "schema"}, {"check", "missing_table"}, {"object", "evidence.signing_keys"}}));
}

BOOST_AUTO_TEST_CASE(output_file_holds_the_json_report) {
  EvidenceStore store("integrity_output");
  store.init_and_seed();
  const std::string path =
      "/tmp/stella-integrity-" + store.scalar("SELECT current_database()") + ".json";
  const auto result = store.stella({"evidence", "integrity-check", "--output", path});
  BOOST_TEST(result.exit_code == 0, result.err);
  const auto shown = stella::test::run_shell("cat " + path + " && rm " + path);
  const auto report = stella::test::valid_json(shown.out, kSchema);
  BOOST_TEST(member(report, "result") == "pass");
}

BOOST_AUTO_TEST_SUITE_END()
