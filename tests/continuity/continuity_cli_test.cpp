// `stella evidence verify-continuity` through the real CLI on a store reindexed sha256 -> sha512:
// clean (text, JSON against its schema, HTML without "FAIL"), and tampered in each way the report
// must catch and name — a byte of an artifact, an old digest, a new digest, a missing new digest,
// an extra record, a wrong old root given.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "reindex/generation_store.hpp"
#include "reindex/reindex_test_support.hpp"
#include "support/report_lines.hpp"

namespace {

using stella::test::GenerationStore;
using stella::test::IngestOptions;
using stella::test::mentions;
using stella::test::ProcessResult;
using stella::test::valid_json;

/// A store of three tenants, reindexed to sha512; remembers both global roots.
struct SealedStore {
  explicit SealedStore(const std::string& prefix) : store(prefix) {
    IngestOptions options;
    options.tenants = 3;
    options.bundles_per_tenant = 3;
    options.artifacts_per_bundle = 4;
    store.ingest(options);
    old_root = store.global_root(1);
    const ProcessResult run = store.stella({"evidence", "reindex", "--algorithm", "sha512"});
    BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
    new_root = store.global_root(2);
  }

  ProcessResult verify(const std::string& format, const std::string& old_given = {}) {
    return store.stella({"evidence", "verify-continuity", "--old-root",
                         old_given.empty() ? old_root : old_given, "--new-root", new_root,
                         "--format", format});
  }

  GenerationStore store;
  std::string old_root;
  std::string new_root;
};

/// The failures of the JSON report, each as "check tenant bundle path".
std::vector<std::string> failures_of(const rapidjson::Document& report) {
  std::vector<std::string> named;
  const auto collect = [&](const rapidjson::Value& list) {
    for (const auto& failure : list.GetArray()) {
      const auto text = [&](const char* key) {
        return failure[key].IsNull() ? std::string("-") : std::string(failure[key].GetString());
      };
      named.push_back(text("check") + " " + text("tenant") + " " + text("bundle") + " " +
                      text("path"));
    }
  };
  collect(report["storeWide"]["failures"]);
  for (const auto& tenant : report["tenants"].GetArray()) {
    collect(tenant["failures"]);
  }
  return named;
}

bool named(const std::vector<std::string>& failures, const std::string& expected) {
  return std::find(failures.begin(), failures.end(), expected) != failures.end();
}

std::string all(const std::vector<std::string>& failures) {
  std::string text;
  for (const auto& failure : failures) {
    text += failure + "\n";
  }
  return text;
}

/// A tampered store: verify-continuity exits 1, the JSON report fails and names `expected`, and
/// the HTML report says FAIL.
void expect_caught(SealedStore& sealed, const std::vector<std::string>& expected,
                   const std::string& old_given = {}) {
  const ProcessResult json = sealed.verify("json", old_given);
  BOOST_TEST(json.exit_code == 1, json.err);
  const rapidjson::Document report = valid_json(json.out, "continuity-report.schema.json");
  BOOST_TEST(std::string(report["result"].GetString()) == "fail");
  const std::vector<std::string> failures = failures_of(report);
  for (const std::string& item : expected) {
    BOOST_TEST(named(failures, item), "expected failure '" << item << "' among:\n"
                                                           << all(failures));
  }
  const ProcessResult html = sealed.verify("html", old_given);
  BOOST_TEST(html.exit_code == 1);
  BOOST_TEST(mentions(html.out, "FAIL"));
  BOOST_TEST(sealed.store.scalar("SELECT data->>'result' FROM stella.audit_events WHERE "
                                 "event_type = 'verification' ORDER BY id DESC LIMIT 1") == "fail");
}

constexpr const char* kBundle = "globex-a-1001";
constexpr const char* kPath = "scan/result.json";

}  // namespace

BOOST_AUTO_TEST_SUITE(clean)

BOOST_AUTO_TEST_CASE(a_clean_transition_passes_in_every_format_and_is_audited) {
  SealedStore sealed("cont_clean");
  const ProcessResult text = sealed.verify("text");
  BOOST_TEST_REQUIRE(text.exit_code == 0, text.err + text.out);
  BOOST_TEST(mentions(text.out, "PASS"));
  BOOST_TEST(!mentions(text.out, "FAIL"), text.out);

  const ProcessResult json = sealed.verify("json");
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
  const rapidjson::Document report = valid_json(json.out, "continuity-report.schema.json");
  BOOST_TEST(std::string(report["result"].GetString()) == "pass");
  BOOST_TEST(report["summary"]["tenants"].GetInt64() == 3);
  BOOST_TEST(report["summary"]["bundles"].GetInt64() == 9);
  BOOST_TEST(report["summary"]["artifacts"].GetInt64() == 36);
  BOOST_TEST(std::string(report["oldRoot"]["recomputed"].GetString()) == sealed.old_root);
  BOOST_TEST(std::string(report["newRoot"]["recomputed"].GetString()) == sealed.new_root);
  for (const auto& check : report["checks"].GetArray()) {
    BOOST_TEST(check["checked"].GetInt64() > 0, check["id"].GetString());
  }
  BOOST_TEST(report["tenants"].Size() == 3U);

  const std::string path = "/tmp/cont-clean-report.html";
  const ProcessResult html = sealed.store.stella(
      {"--operator", "auditor-ada", "evidence", "verify-continuity", "--old-root", sealed.old_root,
       "--new-root", sealed.new_root, "--output", path, "--format", "html"});
  BOOST_TEST_REQUIRE(html.exit_code == 0, html.err);
  // Who vouched for the report, with which stella; and the event that records it names the file
  // and its digest, so that the report an auditor holds is tied to its record.
  BOOST_TEST(std::string(report["checkedBy"].GetString()).size() > 0);
  BOOST_TEST(std::string(report["stellaVersion"].GetString()).size() > 0);
  const ProcessResult digest = stella::test::run_shell("sha256sum " + path);
  BOOST_TEST(sealed.store.scalar("SELECT (data->>'report_path') || ' ' || "
                                 "(data->>'report_sha256') FROM stella.audit_events WHERE "
                                 "event_type = 'verification' ORDER BY id DESC LIMIT 1") ==
             path + " sha256:" + digest.out.substr(0, 64));
  std::ifstream file(path);
  std::stringstream page;
  page << file.rdbuf();
  BOOST_TEST(!mentions(page.str(), "FAIL"));
  BOOST_TEST(mentions(page.str(), "<!DOCTYPE html>"));
  BOOST_TEST(mentions(page.str(), "PASS"));
  BOOST_TEST(mentions(page.str(), sealed.new_root));
  BOOST_TEST(mentions(page.str(), " by auditor-ada with stella "), page.str());
  // Self-contained: no link, script or image from anywhere.
  BOOST_TEST(!mentions(page.str(), "<script"));
  BOOST_TEST(!mentions(page.str(), "<link"));
  BOOST_TEST(!mentions(page.str(), "src="));

  BOOST_TEST(sealed.store.scalar(
                 "SELECT data->>'result' || ' ' || jsonb_array_length(data->'anomalies') || ' ' "
                 "|| (data ? 'started_at') || ' ' || (data ? 'finished_at') FROM "
                 "stella.audit_events WHERE event_type = 'verification' ORDER BY id DESC "
                 "LIMIT 1") == "pass 0 true true");
}

BOOST_AUTO_TEST_CASE(an_empty_or_malformed_root_is_bad_input) {
  SealedStore sealed("cont_args");
  BOOST_TEST(sealed.store
                 .stella({"evidence", "verify-continuity", "--old-root", "", "--new-root",
                          sealed.new_root})
                 .exit_code == 2);
  // The runbook greps the page for FAIL: a refusal must not leave an earlier PASS page standing.
  const std::string path = "/tmp/cont-args-report-" + std::to_string(::getpid()) + ".html";
  const ProcessResult passed =
      sealed.store.stella({"evidence", "verify-continuity", "--old-root", sealed.old_root,
                           "--new-root", sealed.new_root, "--output", path, "--format", "html"});
  BOOST_TEST_REQUIRE(passed.exit_code == 0, passed.err);
  const auto page = [&path] {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  BOOST_TEST(!mentions(page(), "FAIL"));
  const ProcessResult refused =
      sealed.store.stella({"evidence", "verify-continuity", "--old-root", "", "--new-root",
                           sealed.new_root, "--output", path, "--format", "html"});
  BOOST_TEST(refused.exit_code == 2, refused.err);
  BOOST_TEST(mentions(page(), "FAIL (no verdict)"), page());
  BOOST_TEST(mentions(page(), "--old-root is empty"), page());
  std::filesystem::remove(path);
  BOOST_TEST(sealed.store
                 .stella({"evidence", "verify-continuity", "--old-root", "sha256:XYZ", "--new-root",
                          sealed.new_root})
                 .exit_code == 2);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tampered)

BOOST_AUTO_TEST_CASE(a_byte_of_an_artifact) {
  SealedStore sealed("cont_byte");
  sealed.store.connection().exec(
      "UPDATE evidence.contents SET content = overlay(content placing '\\x58'::bytea from 3) "
      "WHERE content_address = (SELECT content_address FROM evidence.artifacts "
      "WHERE bundle_id = $1 AND path = $2)",
      {std::string(kBundle), std::string(kPath)});
  expect_caught(sealed, {std::string("old-digests globex ") + kBundle + " " + kPath,
                         std::string("new-digests globex ") + kBundle + " " + kPath});
}

BOOST_AUTO_TEST_CASE(an_old_digest) {
  SealedStore sealed("cont_olddigest");
  sealed.store.connection().exec(
      "UPDATE evidence.artifact_digests SET digest = 'sha256:' || repeat('0', 64) "
      "WHERE generation = 1 AND bundle_id = $1 AND path = $2",
      {std::string(kBundle), std::string(kPath)});
  expect_caught(sealed, {std::string("old-digests globex ") + kBundle + " " + kPath,
                         std::string("old-root globex ") + kBundle + " -"});
}

BOOST_AUTO_TEST_CASE(a_new_digest) {
  SealedStore sealed("cont_newdigest");
  sealed.store.connection().exec(
      "UPDATE evidence.artifact_digests SET digest = 'sha512:' || repeat('ab', 64) "
      "WHERE generation = 2 AND bundle_id = $1 AND path = $2",
      {std::string(kBundle), std::string(kPath)});
  expect_caught(sealed, {std::string("new-digests globex ") + kBundle + " " + kPath,
                         std::string("new-root globex ") + kBundle + " -",
                         std::string("transition globex ") + kBundle + " -"});
}

BOOST_AUTO_TEST_CASE(a_missing_new_digest) {
  SealedStore sealed("cont_missing");
  sealed.store.connection().exec(
      "DELETE FROM evidence.artifact_digests WHERE generation = 2 AND bundle_id = $1 AND path = $2",
      {std::string(kBundle), std::string(kPath)});
  expect_caught(sealed, {std::string("coverage globex ") + kBundle + " " + kPath});
}

BOOST_AUTO_TEST_CASE(an_extra_record) {
  SealedStore sealed("cont_extra");
  auto& connection = sealed.store.connection();
  const std::string content = "{\"injected\":true}";
  connection.exec(
      "INSERT INTO evidence.contents (content_address, size_bytes, content) VALUES "
      "('sha256:' || encode(sha256(convert_to($1, 'UTF8')), 'hex'), length($1), "
      "convert_to($1, 'UTF8'))",
      {content});
  connection.exec(
      "INSERT INTO evidence.artifacts (bundle_id, path, tenant_id, media_type, size_bytes, "
      "content_address) VALUES ($1, 'extra/injected.json', 'globex', 'application/json', "
      "length($2), 'sha256:' || encode(sha256(convert_to($2, 'UTF8')), 'hex'))",
      {std::string(kBundle), content});
  connection.exec(
      "INSERT INTO evidence.artifact_digests (bundle_id, path, generation, digest) VALUES "
      "($1, 'extra/injected.json', 2, 'sha512:' || encode(sha512(convert_to($2, 'UTF8')), "
      "'hex'))",
      {std::string(kBundle), content});
  expect_caught(sealed, {std::string("coverage globex ") + kBundle + " extra/injected.json",
                         std::string("new-root globex ") + kBundle + " -"});
}

BOOST_AUTO_TEST_CASE(a_path_holding_line_breaks_and_escapes_prints_no_line_of_its_own) {
  SealedStore sealed("cont_escapes");
  // The path column refuses only what breaks its '/'-separated shape: this one would add a passing
  // tenant of its own to the text report, then home the cursor and clear the screen.
  const std::string hostile =
      "extra/x\n\nTenant acme: PASS (10 bundles, 80 artifacts)\x1b[H\x1b[2J\u202e.json";
  auto& connection = sealed.store.connection();
  connection.exec(
      "INSERT INTO evidence.artifacts (bundle_id, path, tenant_id, media_type, size_bytes, "
      "content_address) SELECT bundle_id, $2, tenant_id, media_type, size_bytes, content_address "
      "FROM evidence.artifacts WHERE bundle_id = $1 AND path = $3",
      {std::string(kBundle), hostile, std::string(kPath)});
  const ProcessResult text = sealed.verify("text");
  BOOST_TEST(text.exit_code == 1, text.err);
  BOOST_TEST(mentions(text.out,
                      "artifact extra/x\\n\\nTenant acme: PASS (10 bundles, 80 "
                      "artifacts)\\x1b[H\\x1b[2J\\u202e.json"),
             text.out);
  BOOST_TEST(!mentions(text.out, "\x1b"), text.out);
  BOOST_TEST(!mentions(text.out, "\u202e"), text.out);
  BOOST_TEST(stella::test::lines_starting_with(text.out, "Tenant ") == 3, text.out);
}

BOOST_AUTO_TEST_CASE(a_wrong_old_root_given) {
  SealedStore sealed("cont_wrongroot");
  const std::string wrong = "sha256:" + std::string(64, 'a');
  expect_caught(sealed, {"transition - - -", "old-root - - -"}, wrong);
  const ProcessResult text = sealed.verify("text", wrong);
  BOOST_TEST(mentions(text.out, wrong));
  BOOST_TEST(mentions(text.out, sealed.old_root));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(roots_given_the_wrong_way_round_are_named_as_swapped) {
  SealedStore sealed("cont_reversed");
  const ProcessResult text =
      sealed.store.stella({"evidence", "verify-continuity", "--old-root", sealed.new_root,
                           "--new-root", sealed.old_root, "--format", "text"});
  BOOST_TEST(text.exit_code == 1);
  BOOST_TEST(mentions(text.out,
                      "FAIL transition: no recorded transition matches the roots given; "
                      "the two roots are swapped: transition #"));
  BOOST_TEST(
      mentions(text.out, "give --old-root " + sealed.old_root + " --new-root " + sealed.new_root));
  BOOST_TEST(mentions(text.err, ", 1 problem;"));
  // A wrong root that is no transition's is not called swapped.
  const ProcessResult wrong = sealed.verify("text", "sha256:" + std::string(64, 'b'));
  BOOST_TEST(wrong.exit_code == 1);
  BOOST_CHECK_MESSAGE(!mentions(wrong.out, "swapped"), wrong.out);
}

namespace {

/// The failure messages of the JSON report, one per line.
std::string failure_messages(const rapidjson::Document& report) {
  std::string text;
  const auto collect = [&](const rapidjson::Value& list) {
    for (const auto& failure : list.GetArray()) {
      text += std::string(failure["message"].GetString()) + " | expected " +
              failure["expected"].GetString() + " | found " + failure["found"].GetString() + "\n";
    }
  };
  collect(report["storeWide"]["failures"]);
  for (const auto& tenant : report["tenants"].GetArray()) {
    collect(tenant["failures"]);
  }
  return text;
}

}  // namespace

// The roots the store serves now (evidence.global_roots, evidence.tenant_roots: what roots-export
// prints and proofs are checked against) must recompute too, not only the transition's records.
BOOST_AUTO_TEST_SUITE(several_transitions)

BOOST_AUTO_TEST_CASE(roots_several_transitions_apart_get_each_hop_to_prove) {
  // The runbook's pre-migration root against today's after two reindexes: no tamper-style FAIL
  // comparing roots of generations 1 and 3, but the hops, each of which verifies.
  SealedStore sealed("cont_chain");
  const ProcessResult back =
      sealed.store.stella({"evidence", "reindex", "--algorithm", "sha3-256"});
  BOOST_TEST_REQUIRE(back.exit_code == 0, back.err);
  const std::string third = sealed.store.global_root(3);
  const ProcessResult chained =
      sealed.store.stella({"evidence", "verify-continuity", "--old-root", sealed.old_root,
                           "--new-root", third, "--format", "json"});
  BOOST_TEST(chained.exit_code == 2, chained.out << chained.err);
  BOOST_TEST(mentions(chained.err, "the roots given are 2 recorded transitions apart"),
             chained.err);
  const std::string first_hop = "stella evidence verify-continuity --old-root " + sealed.old_root +
                                " --new-root " + sealed.new_root;
  const std::string second_hop =
      "stella evidence verify-continuity --old-root " + sealed.new_root + " --new-root " + third;
  BOOST_TEST(mentions(chained.err, first_hop), chained.err);
  BOOST_TEST(mentions(chained.err, second_hop), chained.err);
  for (const auto& [old_root, new_root] : std::vector<std::pair<std::string, std::string>>{
           {sealed.old_root, sealed.new_root}, {sealed.new_root, third}}) {
    const ProcessResult hop = sealed.store.stella(
        {"evidence", "verify-continuity", "--old-root", old_root, "--new-root", new_root});
    BOOST_TEST(hop.exit_code == 0, hop.out << hop.err);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(stored_roots)

BOOST_AUTO_TEST_CASE(a_tampered_live_global_root_fails_naming_the_generation) {
  SealedStore sealed("cont_liveglobal");
  const std::string fake = "sha512:" + [] {
    std::string hex;
    for (int i = 0; i < 64; ++i) {
      hex += "cd";
    }
    return hex;
  }();
  sealed.store.connection().exec(
      "UPDATE evidence.global_roots SET root = 'sha512:' || repeat('cd', 64) WHERE generation = 2");
  const ProcessResult exported =
      sealed.store.stella({"evidence", "roots-export", "--format", "json"});
  BOOST_TEST_REQUIRE(mentions(exported.out, fake), exported.out);
  expect_caught(sealed, {"new-root - - -"});
  const ProcessResult json = sealed.verify("json");
  const rapidjson::Document report = valid_json(json.out, "continuity-report.schema.json");
  BOOST_TEST(std::string(report["newRoot"]["stored"].GetString()) == fake);
  BOOST_TEST(std::string(report["newRoot"]["recomputedNow"].GetString()) == sealed.new_root);
  const std::string messages = failure_messages(report);
  BOOST_TEST(mentions(messages, "stored global root of generation 2"), messages);
  // As verify-all: expected what is stored, found what the data recomputes to.
  BOOST_TEST(mentions(messages, "expected " + fake + " | found " + sealed.new_root), messages);
  const ProcessResult html = sealed.verify("html");
  BOOST_TEST(mentions(html.out, fake));
}

BOOST_AUTO_TEST_CASE(a_tampered_live_tenant_root_fails_naming_the_tenant_and_generation) {
  SealedStore sealed("cont_livetenant");
  const std::string real = sealed.store.scalar(
      "SELECT root FROM evidence.tenant_roots WHERE generation = 1 AND tenant_id = 'globex'");
  sealed.store.connection().exec(
      "UPDATE evidence.tenant_roots SET root = 'sha256:' || repeat('ab', 32) "
      "WHERE generation = 1 AND tenant_id = 'globex'");
  expect_caught(sealed, {"old-root globex - -"});
  const ProcessResult json = sealed.verify("json");
  const rapidjson::Document report = valid_json(json.out, "continuity-report.schema.json");
  const std::string messages = failure_messages(report);
  BOOST_TEST(mentions(messages, "the tenant's stored root of generation 1"), messages);
  BOOST_TEST(mentions(messages, "expected sha256:abab"), messages);
  BOOST_TEST(mentions(messages, " | found " + real), messages);
  for (const auto& tenant : report["tenants"].GetArray()) {
    if (std::string(tenant["tenant"].GetString()) == "globex") {
      BOOST_TEST(std::string(tenant["oldRoot"]["stored"].GetString()).rfind("sha256:abab", 0) ==
                 0U);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

// A bundle sealed before the transition must be cross-referenced by it; only bundles that the
// transition's recorded roots do not cover were added after it.
BOOST_AUTO_TEST_SUITE(cross_references)

BOOST_AUTO_TEST_CASE(a_deleted_bundle_cross_reference_is_named_not_counted_as_added_after) {
  SealedStore sealed("cont_deletedxref");
  sealed.store.connection().exec(
      "DELETE FROM evidence.root_cross_references WHERE scope = 'bundle' AND scope_id = $1",
      {std::string(kBundle)});
  expect_caught(sealed, {std::string("transition globex ") + kBundle + " -"});
  const ProcessResult json = sealed.verify("json");
  const rapidjson::Document report = valid_json(json.out, "continuity-report.schema.json");
  BOOST_TEST(report["summary"]["bundlesOutsideTransition"].GetInt64() == 0);
  BOOST_TEST(report["summary"]["bundles"].GetInt64() == 9);
  const std::string messages = failure_messages(report);
  BOOST_TEST(
      mentions(messages, "no cross-reference recorded for a bundle sealed before the transition"),
      messages);
  // Named once, not as every root above it.
  BOOST_TEST(report["summary"]["failures"].GetInt64() == 1, messages);
  const ProcessResult text = sealed.verify("text");
  BOOST_TEST(!mentions(text.out, "added after"), text.out);
}

BOOST_AUTO_TEST_CASE(bundles_loaded_after_the_transition_are_added_after_it_in_the_singular) {
  SealedStore sealed("cont_addedafter");
  IngestOptions later;
  later.tenants = 1;
  later.bundles_per_tenant = 1;
  later.artifacts_per_bundle = 2;
  later.batch_label = "later";
  later.created_from = "2099-01-01T00:00:00Z";
  sealed.store.ingest(later);
  const ProcessResult text = sealed.verify("text");
  BOOST_TEST(text.exit_code == 0, text.out + text.err);
  BOOST_TEST(mentions(text.out, "; 1 bundle added after it (digests checked"), text.out);
  BOOST_TEST(!mentions(text.out, "1 bundles"), text.out);
  // Older evidence loaded after the transition carries its own, earlier seal time: the
  // transition's recorded roots recompute without it, so it too was added after.
  IngestOptions older = later;
  older.batch_label = "older";
  older.created_from = "2020-01-01T00:00:00Z";
  sealed.store.ingest(older);
  const ProcessResult json = sealed.verify("json");
  BOOST_TEST(json.exit_code == 0, json.out);
  const rapidjson::Document report = valid_json(json.out, "continuity-report.schema.json");
  BOOST_TEST(report["summary"]["bundlesOutsideTransition"].GetInt64() == 2);
  BOOST_TEST(report["summary"]["bundles"].GetInt64() == 9);
  BOOST_TEST(std::string(report["newRoot"]["stored"].GetString()) !=
             std::string(report["newRoot"]["recomputed"].GetString()));
  const ProcessResult html = sealed.verify("html");
  BOOST_TEST(html.exit_code == 0);
  BOOST_TEST(!mentions(html.out, "FAIL"));
}

BOOST_AUTO_TEST_SUITE_END()

// The audit event a report cites as the record of the transition must be intact in the hash chain.
BOOST_AUTO_TEST_SUITE(transition_audit_event)

BOOST_AUTO_TEST_CASE(an_altered_root_hash_change_event_fails_naming_it) {
  SealedStore sealed("cont_auditedit");
  const std::string event =
      sealed.store.scalar("SELECT audit_event_id FROM evidence.root_transitions");
  auto& connection = sealed.store.connection();
  connection.exec("ALTER TABLE stella.audit_events DISABLE TRIGGER ALL");
  connection.exec("UPDATE stella.audit_events SET operator = 'mallory' WHERE id = $1", {event});
  connection.exec("ALTER TABLE stella.audit_events ENABLE TRIGGER ALL");
  expect_caught(sealed, {"transition - - -"});
  const ProcessResult text = sealed.verify("text");
  BOOST_TEST(mentions(text.out, "audit event " + event +
                                    " does not verify in the audit trail's hash chain (altered)"),
             text.out);
}

BOOST_AUTO_TEST_CASE(an_event_rewritten_with_a_recomputed_hash_breaks_the_next_link) {
  SealedStore sealed("cont_auditrehash");
  // A later event, so that the rewritten one is not the last.
  BOOST_TEST_REQUIRE(sealed.verify("text").exit_code == 0);
  const std::string event =
      sealed.store.scalar("SELECT audit_event_id FROM evidence.root_transitions");
  auto& connection = sealed.store.connection();
  connection.exec("ALTER TABLE stella.audit_events DISABLE TRIGGER ALL");
  connection.exec(
      "UPDATE stella.audit_events SET operator = 'mallory', hash = 'sha256:' || encode(sha256("
      "convert_to(prev_hash, 'UTF8') || '\\x00'::bytea || convert_to(id::text, 'UTF8') || "
      "'\\x00'::bytea || convert_to(to_char(occurred_at AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), 'UTF8') || '\\x00'::bytea || "
      "convert_to(event_type, 'UTF8') || '\\x00'::bytea || convert_to('mallory', 'UTF8') || "
      "'\\x00'::bytea || convert_to(retention, 'UTF8') || '\\x00'::bytea || "
      "convert_to(data::text, 'UTF8')), 'hex') WHERE id = $1",
      {event});
  connection.exec("ALTER TABLE stella.audit_events ENABLE TRIGGER ALL");
  expect_caught(sealed, {"transition - - -"});
  const ProcessResult text = sealed.verify("text");
  BOOST_TEST(mentions(text.out, "(broken_link)"), text.out);
  BOOST_TEST(mentions(text.out, "event " + event + " was rewritten with a new hash"), text.out);
}

BOOST_AUTO_TEST_SUITE_END()

// Equal roots given — the runbook after a schema migration without a reindex — claim no root
// change: they must be the active generation's stored root, and it must recompute.
BOOST_AUTO_TEST_SUITE(no_root_change)

namespace {

/// A schema 1.0 store seeded, its root captured, then migrated to 2.0 as the runbook does.
struct MigratedStore {
  MigratedStore() : database("cont_migrated") {
    for (const std::vector<std::string>& step :
         {std::vector<std::string>{"evidence", "init"},
          std::vector<std::string>{"evidence", "seed", "--tenants", "2", "--bundles", "3",
                                   "--artifacts-per-bundle", "3", "--since", "2026-01-01"}}) {
      BOOST_TEST_REQUIRE(stella(step).exit_code == 0, step[1]);
    }
    root = global_root();
    const ProcessResult migrated =
        stella({"evidence", "migrate", "--from-version", "1.0", "--to-version", "2.0"});
    BOOST_TEST_REQUIRE(migrated.exit_code == 0, migrated.err);
    BOOST_TEST_REQUIRE(global_root() == root);
  }

  ProcessResult stella(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--database", database.conninfo()});
    return stella::test::run_stella(args);
  }

  std::string global_root() const {
    const ProcessResult exported = stella({"evidence", "roots-export", "--format", "json"});
    return valid_json(exported.out, "roots-export.schema.json")["globalRoot"].GetString();
  }

  ProcessResult verify(const std::string& old_root, const std::string& new_root,
                       const std::string& format) const {
    return stella({"evidence", "verify-continuity", "--old-root", old_root, "--new-root", new_root,
                   "--format", format});
  }

  stella::test::ScratchDatabase database;
  std::string root;
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_schema_migration_without_a_reindex_passes_and_cites_the_migration) {
  MigratedStore store;
  const ProcessResult html = store.verify(store.root, store.root, "html");
  BOOST_TEST(html.exit_code == 0, html.err);
  BOOST_TEST(!mentions(html.out, "FAIL"));
  BOOST_TEST(mentions(html.out,
                      "No root change: the roots given are equal, and they are the "
                      "active generation's root."));
  const ProcessResult json = store.verify(store.root, store.root, "json");
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.out);
  const rapidjson::Document report = valid_json(json.out, "continuity-report.schema.json");
  BOOST_TEST(report["transition"].IsNull());
  BOOST_TEST(report["unchanged"]["generation"].GetInt() == 1);
  BOOST_TEST(report["unchanged"]["migration"]["runId"].GetInt64() == 1);
  BOOST_TEST(std::string(report["unchanged"]["migration"]["status"].GetString()) == "completed");
  BOOST_TEST(std::string(report["oldRoot"]["recomputed"].GetString()) == store.root);
  BOOST_TEST(report["summary"]["bundles"].GetInt64() == 6);
  for (const auto& check : report["checks"].GetArray()) {
    BOOST_TEST(check["checked"].GetInt64() > 0, check["id"].GetString());
  }
  const ProcessResult text = store.verify(store.root, store.root, "text");
  BOOST_TEST(mentions(text.out,
                      "no root change: the roots given are equal, and they are the "
                      "active generation's root"),
             text.out);
  BOOST_TEST(mentions(text.out, "recorded migration: run 1, schema 1.0 -> 2.0"), text.out);
}

BOOST_AUTO_TEST_CASE(equal_roots_that_are_not_the_current_root_fail) {
  MigratedStore store;
  const std::string other = "sha256:" + std::string(64, 'a');
  const ProcessResult text = store.verify(other, other, "text");
  BOOST_TEST(text.exit_code == 1);
  BOOST_TEST(mentions(text.out,
                      "FAIL transition: the roots given are equal, so no root change is "
                      "claimed, but they are not the store's current root"),
             text.out);
  const ProcessResult html = store.verify(other, other, "html");
  BOOST_TEST(mentions(html.out, "FAIL"));
}

BOOST_AUTO_TEST_CASE(equal_roots_that_are_stored_but_do_not_recompute_fail) {
  MigratedStore store;
  const std::string fake = "sha256:" + std::string(64, 'e');
  auto connection = stella::host::PgConnection::connect(store.database.conninfo());
  connection->exec("UPDATE evidence.global_roots SET root = $1 WHERE generation = 1", {fake});
  BOOST_TEST_REQUIRE(store.global_root() == fake);
  const ProcessResult json = store.verify(fake, fake, "json");
  BOOST_TEST(json.exit_code == 1);
  const rapidjson::Document report = valid_json(json.out, "continuity-report.schema.json");
  const std::vector<std::string> failures = failures_of(report);
  BOOST_TEST(named(failures, "old-root - - -"), all(failures));
  BOOST_TEST(!named(failures, "transition - - -"), all(failures));
}

BOOST_AUTO_TEST_CASE(after_a_reindex_the_old_root_given_twice_is_not_the_current_root) {
  SealedStore sealed("cont_equalold");
  const ProcessResult text = sealed.store.stella({"evidence", "verify-continuity", "--old-root",
                                                  sealed.old_root, "--new-root", sealed.old_root});
  BOOST_TEST(text.exit_code == 1);
  BOOST_TEST(mentions(text.out, "not the store's current root"), text.out);
  BOOST_TEST(mentions(text.out, sealed.new_root), text.out);
}

BOOST_AUTO_TEST_SUITE_END()
