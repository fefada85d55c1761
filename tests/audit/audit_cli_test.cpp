// `stella evidence audit list|verify|prune` through the real CLI, on a real PostgreSQL; JSON
// output checked against schemas/audit-*.schema.json.
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include <filesystem>

#include <rapidjson/document.h>

#include "audit/audit_store_fixture.hpp"
#include "stella/host/json/json_schema.hpp"
#include "support/report_lines.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace {

using stella::test::AuditStore;
using stella::test::lines_starting_with;
using stella::test::ProcessResult;
using stella::test::run_stella;
using stella::test::sample_audit_data;

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

ProcessResult audit(const std::string& conninfo, std::vector<std::string> args) {
  std::vector<std::string> line = {"--database", conninfo, "evidence", "audit"};
  line.insert(line.end(), args.begin(), args.end());
  return run_stella(line);
}

/// Parses `text` and checks it against the embedded schema; fails the test otherwise.
rapidjson::Document valid_json(const std::string& text, const char* schema) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError(), "not JSON: " << text);
  const auto violations = stella::host::schema_violations(document, schema);
  for (const auto& violation : violations) {
    BOOST_ERROR(schema << ": " << violation << "\n" << text);
  }
  return document;
}

/// A store with a few events, two of them from 2020.
struct ListedStore : AuditStore {
  ListedStore() {
    append_at("store_init", "{}", "2020-03-01T10:00:00Z");                                 // 1
    append_at("verification", sample_audit_data("verification"), "2020-03-02T10:00:00Z");  // 2
    append("migration_start", sample_audit_data("migration_start"));                       // 3
    append("schema_change", sample_audit_data("schema_change"));                           // 4
    append("verification", sample_audit_data("verification"));                             // 5
  }
};

std::vector<std::int64_t> ids_of(const rapidjson::Document& events) {
  std::vector<std::int64_t> ids;
  for (const auto& event : events.GetArray()) {
    ids.push_back(event["id"].GetInt64());
  }
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_cli)

BOOST_AUTO_TEST_CASE(a_store_without_a_trail_says_so_with_exit_3) {
  stella::test::ScratchDatabase empty("audit_empty");
  for (const char* action : {"list", "verify"}) {
    const auto result = audit(empty.conninfo(), {action});
    BOOST_TEST(result.exit_code == 3, action << ": " << result.err);
    BOOST_TEST(mentions(result.err, "no audit trail"), result.err);
    BOOST_TEST(mentions(result.err, "stella evidence init"), result.err);
  }
}

BOOST_AUTO_TEST_CASE(list_prints_a_table_by_default) {
  ListedStore store;
  const auto result = audit(store.conninfo(), {"list"});
  BOOST_TEST(result.exit_code == 0, result.err);
  BOOST_TEST(mentions(result.out, "ID"));
  BOOST_TEST(mentions(result.out, "OCCURRED AT"));
  BOOST_TEST(mentions(result.out, "2020-03-01T10:00:00.000000Z"));
  // Data without the fields a summary needs (the fixture's hand-made events) is shown as stored.
  BOOST_TEST(mentions(result.out, R"({"to_version": "2.0", "from_version": "1.0"})"));
  BOOST_TEST(mentions(result.err, "5 events listed"));
}

BOOST_AUTO_TEST_CASE(list_summarises_the_events_stella_writes_and_data_shows_them_stored) {
  stella::test::ScratchDatabase database("audit_summary");
  const auto stella = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--database", database.conninfo()});
    const ProcessResult run = run_stella(args);
    BOOST_TEST_REQUIRE(run.exit_code == 0, args[2] << " " << args[3] << ": " << run.err);
    return run;
  };
  stella({"evidence", "init"});
  stella({"evidence", "seed", "--tenants", "2", "--bundles", "3", "--artifacts-per-bundle", "2"});
  stella({"evidence", "verify-all"});
  stella({"evidence", "config", "set", "hash-algorithm", "sha512"});

  const auto table = audit(database.conninfo(), {"list"});
  BOOST_TEST(table.exit_code == 0, table.err);
  BOOST_TEST(mentions(table.out, "OPERATOR        WHAT\n"), table.out);
  BOOST_TEST(mentions(table.out, "store created at schema 1.0 in database " + database.name()),
             table.out);
  BOOST_TEST(mentions(table.out, "seeded 6 bundles (12 artifacts, "), table.out);
  BOOST_TEST(mentions(table.out, "bytes) into 2 tenants; global root sha256:"), table.out);
  BOOST_TEST(mentions(table.out, "verify-all PASS: 2 tenants, 6 bundles, 12 artifacts"), table.out);
  BOOST_TEST(mentions(table.out, "hash-algorithm: (unset) \u2192 sha512"), table.out);
  BOOST_TEST(!mentions(table.out, "{\""), table.out);

  const auto stored = audit(database.conninfo(), {"list", "--data"});
  BOOST_TEST(stored.exit_code == 0, stored.err);
  BOOST_TEST(mentions(stored.out, "OPERATOR        DATA\n"), stored.out);
  BOOST_TEST(mentions(stored.out, R"({"key": "hash-algorithm", "new_value": "sha512")"),
             stored.out);
  BOOST_TEST(mentions(stored.out, R"("check": "verify-all")"), stored.out);

  const auto misplaced = audit(database.conninfo(), {"verify", "--data"});
  BOOST_TEST(misplaced.exit_code == 2, misplaced.err);
}

BOOST_AUTO_TEST_CASE(list_escapes_what_events_hold_so_that_no_value_prints_a_row_of_its_own) {
  AuditStore store;
  const auto stella = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--database", store.conninfo()});
    const ProcessResult run = run_stella(args);
    BOOST_TEST_REQUIRE(run.exit_code == 0, args[2] << " " << args[3] << ": " << run.err);
  };
  stella({"evidence", "init"});
  stella({"evidence", "seed", "--tenants", "1", "--bundles", "1", "--artifacts-per-bundle", "1"});
  // An export records its --output as given; a line break in it would start a forged row, and the
  // escape sequence after it would clear the screen.
  const std::string forged_row =
      "99      2026-01-01T00:00:00.000000Z  verification      auditor         verify-all PASS: 1 "
      "tenants, 1 bundles, 1 artifacts";
  const std::filesystem::path output =
      std::filesystem::temp_directory_path() /
      ("stella-audit-" + std::to_string(::getpid()) + "\n" + forged_row + "\x1b[2J");
  stella({"evidence", "export", "--all", "--output", output.string()});
  std::filesystem::remove_all(output);

  const auto table = audit(store.conninfo(), {"list", "--type", "export"});
  BOOST_TEST(table.exit_code == 0, table.err);
  BOOST_TEST(lines_starting_with(table.out) == 2, "the header and one row:\n" << table.out);
  BOOST_TEST(mentions(table.out, "\\n" + forged_row + "\\x1b[2J: 1 tenants"), table.out);
  BOOST_TEST(!mentions(table.out, "\x1b"), table.out);

  // A failed verification quotes its first anomaly, whatever the path it names holds; an operator
  // written into the trail directly (or by an older stella) is shown escaped too.
  const std::string forged_anomaly =
      R"(artifact a.json\n77      2026-01-01T00:00:00.000000Z  verification      auditor         )"
      R"(verify-all PASS\u2028\u0085\u202e\u001b[2J)";
  const std::int64_t verification = store.append(
      "verification", R"({"check": "verify-all", "result": "fail", "started_at": "2026-01-01", )"
                      R"("finished_at": "2026-01-01", "anomalies": [{"message": ")" +
                          forged_anomaly + R"("}]})");
  store.tamper(
      "UPDATE stella.audit_events SET operator = 'mallory' || chr(10) || '55' || chr(27) "
      "|| '[2J' WHERE id = " +
      std::to_string(verification));
  for (const char* column : {"", "--data"}) {
    std::vector<std::string> args = {"list", "--type", "verification"};
    if (*column != '\0') {
      args.push_back(column);
    }
    const auto listed = audit(store.conninfo(), args);
    BOOST_TEST(listed.exit_code == 0, listed.err);
    BOOST_TEST(lines_starting_with(listed.out) == 2, column << ": the header and one row:\n"
                                                            << listed.out);
    BOOST_TEST(mentions(listed.out, " mallory\\n55\\x1b[2J "), column << ":\n" << listed.out);
    BOOST_TEST(mentions(listed.out, "a.json\\n77 "), column << ":\n" << listed.out);
    BOOST_TEST(mentions(listed.out, "\\u2028\\u0085\\u202e"), column << ":\n" << listed.out);
    for (const char* raw : {"\x1b", "\u2028", "\u0085", "\u202e"}) {
      BOOST_TEST(!mentions(listed.out, raw), column << ":\n" << listed.out);
    }
  }
}

BOOST_AUTO_TEST_CASE(list_json_matches_its_schema_and_filters_by_type_since_and_limit) {
  ListedStore store;
  const auto all = audit(store.conninfo(), {"list", "--format", "json"});
  BOOST_TEST(all.exit_code == 0, all.err);
  const auto everything = valid_json(all.out, "audit-list.schema.json");
  BOOST_TEST(ids_of(everything) == (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  BOOST_TEST(std::string(everything[2]["data"]["from_version"].GetString()) == "1.0");
  BOOST_TEST(std::string(everything[0]["prevHash"].GetString()) ==
             "sha256:" + std::string(64, '0'));
  BOOST_TEST(std::string(everything[1]["prevHash"].GetString()) ==
             everything[0]["hash"].GetString());
  BOOST_TEST(std::string(everything[1]["retention"].GetString()) == "7y");

  const auto verifications =
      audit(store.conninfo(), {"list", "--type", "verification", "--format", "json"});
  BOOST_TEST(ids_of(valid_json(verifications.out, "audit-list.schema.json")) ==
             (std::vector<std::int64_t>{2, 5}));

  const auto since_date =
      audit(store.conninfo(), {"list", "--since", "2021-01-01", "--format", "json"});
  BOOST_TEST(ids_of(valid_json(since_date.out, "audit-list.schema.json")) ==
             (std::vector<std::int64_t>{3, 4, 5}));
  const auto since_time =
      audit(store.conninfo(), {"list", "--since", "2020-03-02T11:00:00+01:00", "--format", "json"});
  BOOST_TEST(ids_of(valid_json(since_time.out, "audit-list.schema.json")) ==
             (std::vector<std::int64_t>{2, 3, 4, 5}));

  const auto latest = audit(store.conninfo(), {"list", "--limit", "2", "--format", "json"});
  BOOST_TEST(ids_of(valid_json(latest.out, "audit-list.schema.json")) ==
             (std::vector<std::int64_t>{4, 5}));

  const auto none = audit(store.conninfo(), {"list", "--type", "export", "--format", "json"});
  BOOST_TEST(valid_json(none.out, "audit-list.schema.json").GetArray().Size() == 0u);
}

BOOST_AUTO_TEST_CASE(bad_arguments_exit_2_with_an_example) {
  ListedStore store;
  const auto bad_date = audit(store.conninfo(), {"list", "--since", "last tuesday"});
  BOOST_TEST(bad_date.exit_code == 2);
  BOOST_TEST(mentions(bad_date.err, "--since is 'last tuesday'"), bad_date.err);
  // A mistyped type would list nothing, like an empty trail: refused with the closest type.
  const auto type_typo = audit(store.conninfo(), {"list", "--type", "verifcation"});
  BOOST_TEST(type_typo.exit_code == 2);
  BOOST_TEST(mentions(type_typo.err, "unknown event type 'verifcation'"), type_typo.err);
  BOOST_TEST(mentions(type_typo.err, "did you mean 'verification'?"), type_typo.err);
  BOOST_TEST(mentions(bad_date.err, "2024-01-31"), bad_date.err);

  const auto typo = audit(store.conninfo(), {"verfy"});
  BOOST_TEST(typo.exit_code == 2);
  BOOST_TEST(mentions(typo.err, "stella evidence audit verify"), typo.err);

  BOOST_TEST(audit(store.conninfo(), {}).exit_code == 2);
  const auto misplaced = audit(store.conninfo(), {"verify", "--before", "2020-01-01"});
  BOOST_TEST(misplaced.exit_code == 2);
  BOOST_TEST(mentions(misplaced.err, "--before applies to 'audit prune'"), misplaced.err);
  const auto no_before = audit(store.conninfo(), {"prune"});
  BOOST_TEST(no_before.exit_code == 2);
  BOOST_TEST(mentions(no_before.err, "needs --before DATE"), no_before.err);
  BOOST_TEST(audit(store.conninfo(), {"list", "--limit", "0"}).exit_code == 2);
  BOOST_TEST(audit(store.conninfo(), {"verify", "--format", "html"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(verify_reports_an_intact_chain) {
  ListedStore store;
  const auto text = audit(store.conninfo(), {"verify"});
  BOOST_TEST(text.exit_code == 0, text.err);
  BOOST_TEST(mentions(text.out,
                      "audit chain intact: 5 events (0 pruned) from "
                      "2020-03-01T10:00:00.000000Z to "),
             text.out);
  const auto json = audit(store.conninfo(), {"verify", "--format", "json"});
  BOOST_TEST(json.exit_code == 0, json.err);
  const auto report = valid_json(json.out, "audit-verify.schema.json");
  BOOST_TEST(report["intact"].GetBool());
  BOOST_TEST(report["events"].GetInt64() == 5);
  BOOST_TEST(report["problem"].IsNull());
  BOOST_TEST(std::string(report["head"]["hash"].GetString()) ==
             store.scalar("SELECT hash FROM stella.audit_events WHERE id = 5"));
}

BOOST_AUTO_TEST_CASE(verify_names_an_edited_event_with_exit_1) {
  ListedStore store;
  store.tamper(
      "UPDATE stella.audit_events SET data = '{\"from_version\": \"0.9\", "
      "\"to_version\": \"2.0\"}' WHERE id = 3");
  const auto text = audit(store.conninfo(), {"verify"});
  BOOST_TEST(text.exit_code == 1, text.err);
  BOOST_TEST(mentions(text.out, "audit chain BROKEN at event 3 (altered)"), text.out);
  BOOST_TEST(mentions(text.out, "event 3 (migration_start, "), text.out);
  BOOST_TEST(mentions(text.err, "what to do"), text.err);

  const auto json = audit(store.conninfo(), {"verify", "--format", "json"});
  BOOST_TEST(json.exit_code == 1);
  const auto report = valid_json(json.out, "audit-verify.schema.json");
  BOOST_TEST(!report["intact"].GetBool());
  BOOST_TEST(report["problem"]["eventId"].GetInt64() == 3);
  BOOST_TEST(std::string(report["problem"]["kind"].GetString()) == "altered");
  BOOST_TEST(std::string(report["problem"]["type"].GetString()) == "migration_start");
}

BOOST_AUTO_TEST_CASE(verify_names_a_deleted_event_and_an_edited_hash) {
  ListedStore deleted;
  deleted.tamper("DELETE FROM stella.audit_events WHERE id = 2");
  const auto gap = audit(deleted.conninfo(), {"verify"});
  BOOST_TEST(gap.exit_code == 1);
  BOOST_TEST(mentions(gap.out, "event 2 is missing: event 3's prev_hash points to sha256:"),
             gap.out);
  BOOST_TEST(mentions(gap.out, "which no event or tombstone has"), gap.out);

  ListedStore rehashed;
  rehashed.tamper("UPDATE stella.audit_events SET hash = 'sha256:" + std::string(64, 'd') +
                  "' WHERE id = 4");
  const auto hash = audit(rehashed.conninfo(), {"verify", "--format", "json"});
  BOOST_TEST(hash.exit_code == 1);
  BOOST_TEST(valid_json(hash.out, "audit-verify.schema.json")["problem"]["eventId"].GetInt64() ==
             4);
}

BOOST_AUTO_TEST_CASE(verify_holds_the_chain_to_a_head_anchored_outside) {
  // The tail deleted and the head row rewound: the chain verifies on its own. Only the head an
  // operator copied out before (the `chain head:` line) shows what is gone.
  ListedStore store;
  const auto before = audit(store.conninfo(), {"verify"});
  BOOST_TEST_REQUIRE(before.exit_code == 0, before.err);
  const std::string head_line = before.out.substr(before.out.find("chain head:"));
  BOOST_TEST(audit(store.conninfo(), {"verify", "--expect-head", head_line}).exit_code == 0);
  store.tamper(
      "DELETE FROM stella.audit_events WHERE id = (SELECT max(id) FROM stella.audit_events);"
      "UPDATE stella.audit_chain_head SET last_id = e.id, last_hash = e.hash FROM (SELECT id, "
      "hash FROM stella.audit_events ORDER BY id DESC LIMIT 1) e");
  BOOST_TEST(audit(store.conninfo(), {"verify"}).exit_code == 0);
  const auto anchored =
      audit(store.conninfo(), {"verify", "--expect-head", head_line, "--format", "json"});
  BOOST_TEST(anchored.exit_code == 1, anchored.out + anchored.err);
  BOOST_TEST(std::string(valid_json(anchored.out, "audit-verify.schema.json")["problem"]["kind"]
                             .GetString()) == "anchor_missing");
  BOOST_TEST(audit(store.conninfo(), {"verify", "--expect-head", "yesterday's"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(prune_removes_old_verification_events_and_verify_still_passes) {
  AuditStore store;
  const std::string eight_years_ago = store.scalar(
      "SELECT to_char((now() AT TIME ZONE 'UTC') - interval '8 years', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
  store.append_at("verification", sample_audit_data("verification"), eight_years_ago);    // 1
  store.append_at("schema_change", sample_audit_data("schema_change"), eight_years_ago);  // 2
  store.append_at("verification", sample_audit_data("verification"), eight_years_ago);    // 3
  store.append("verification", sample_audit_data("verification"));                        // 4

  const auto dry = audit(store.conninfo(), {"prune", "--before", "2999-01-01", "--dry-run"});
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(mentions(dry.out, "would prune 2 verification events (ids 1 to 3)"), dry.out);
  BOOST_TEST(store.count("SELECT count(*) FROM stella.audit_events") == 4);

  const auto pruned = audit(store.conninfo(), {"--operator", "retention-job", "prune", "--before",
                                               "2999-01-01", "--format", "json"});
  BOOST_TEST(pruned.exit_code == 0, pruned.err);
  const auto result = valid_json(pruned.out, "audit-prune.schema.json");
  BOOST_TEST(result["pruned"].GetInt64() == 2);
  BOOST_TEST(result["auditEventId"].GetInt64() == 5);
  BOOST_TEST(store.scalar("SELECT operator FROM stella.audit_events WHERE id = 5") ==
             "retention-job");

  const auto verify = audit(store.conninfo(), {"verify"});
  BOOST_TEST(verify.exit_code == 0, verify.out << verify.err);
  BOOST_TEST(mentions(verify.out, "audit chain intact: 5 events (2 pruned)"), verify.out);

  const auto dry_json =
      audit(store.conninfo(), {"prune", "--before", "2999-01-01", "--dry-run", "--format", "json"});
  const auto nothing = valid_json(dry_json.out, "audit-prune.schema.json");
  BOOST_TEST(nothing["pruned"].GetInt64() == 0);
  BOOST_TEST(nothing["auditEventId"].IsNull());
}

BOOST_AUTO_TEST_CASE(prune_on_a_broken_chain_is_refused_with_exit_3) {
  ListedStore store;
  store.tamper("DELETE FROM stella.audit_events WHERE id = 4");
  const auto result = audit(store.conninfo(), {"prune", "--before", "2999-01-01"});
  BOOST_TEST(result.exit_code == 3);
  BOOST_TEST(mentions(result.err, "refusing to prune"), result.err);
  BOOST_TEST(mentions(result.err, "event 4 is missing"), result.err);
}

BOOST_AUTO_TEST_CASE(help_lists_the_actions_and_exit_codes) {
  const auto help = run_stella({"evidence", "audit", "--help"});
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(mentions(help.out, "list|verify|prune"));
  BOOST_TEST(mentions(help.out, "--since"));
  BOOST_TEST(mentions(help.out, "docs/audit-trail.md"));
}

BOOST_AUTO_TEST_SUITE_END()
