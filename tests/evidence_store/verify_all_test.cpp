// `stella evidence verify-all`: a clean store passes with a report valid against its schema; each
// kind of tampering done through SQL is caught (exit 1) and named: tenant, bundle, artifact, what
// was expected and what was found.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "evidence_store/evidence_store_fixture.hpp"
#include "support/background_stella.hpp"
#include "support/other_sessions.hpp"
#include "support/report_lines.hpp"

using stella::test::EvidenceStore;
using stella::test::mentions;
using stella::test::valid_json;

namespace {

struct Anomaly {
  std::string check;
  std::string tenant;
  std::string bundle;
  std::string artifact;
  std::string expected;
  std::string found;
};

std::string text_or_empty(const rapidjson::Value& value) {
  return value.IsString() ? value.GetString() : "";
}

/// Runs verify-all with a JSON report; returns its anomalies after checking exit code and schema.
std::vector<Anomaly> verify(EvidenceStore& store, int expected_exit) {
  const auto report_path = std::filesystem::temp_directory_path() /
                           ("stella-verify-" + store.scalar("SELECT current_database()") + ".json");
  const auto result = store.stella({"evidence", "verify-all", "--output", report_path.string()});
  BOOST_TEST(result.exit_code == expected_exit, result.out << result.err);
  std::ifstream in(report_path);
  std::stringstream content;
  content << in.rdbuf();
  std::filesystem::remove(report_path);
  const auto report = valid_json(content.str(), "verify-report.schema.json");
  BOOST_TEST(report["result"].GetString() == std::string(expected_exit == 0 ? "pass" : "fail"));
  std::vector<Anomaly> anomalies;
  for (const auto& item : report["anomalies"].GetArray()) {
    anomalies.push_back({item["check"].GetString(), text_or_empty(item["tenant"]),
                         text_or_empty(item["bundle"]), text_or_empty(item["artifact"]),
                         item["expected"].GetString(), item["found"].GetString()});
  }
  BOOST_TEST(report["anomalyCount"].GetInt64() == static_cast<std::int64_t>(anomalies.size()));
  // The text summary names the same problems.
  if (expected_exit != 0) {
    BOOST_TEST(mentions(result.out, "verify-all: FAIL"));
    for (const Anomaly& anomaly : anomalies) {
      BOOST_TEST(mentions(result.out, "[" + anomaly.check + "]"));
    }
  }
  return anomalies;
}

const Anomaly* find(const std::vector<Anomaly>& anomalies, const std::string& check,
                    const std::string& bundle = {}, const std::string& artifact = {}) {
  for (const Anomaly& anomaly : anomalies) {
    if (anomaly.check == check && (bundle.empty() || anomaly.bundle == bundle) &&
        (artifact.empty() || anomaly.artifact == artifact)) {
      return &anomaly;
    }
  }
  return nullptr;
}

std::string listed(const std::vector<Anomaly>& anomalies) {
  std::string text;
  for (const Anomaly& a : anomalies) {
    text += a.check + " " + a.tenant + " " + a.bundle + " " + a.artifact + "; ";
  }
  return text;
}

/// A seeded store and the first bundle of tenant acme in Merkle order.
struct TamperedStore {
  EvidenceStore store;
  std::string bundle;
  explicit TamperedStore(const std::string& prefix) : store(prefix) {
    store.init_and_seed();
    BOOST_REQUIRE(store.stella({"evidence", "verify-all"}).exit_code == 0);
    bundle = store.scalar(
        "SELECT bundle_id FROM evidence.bundles WHERE tenant_id = 'acme' "
        "ORDER BY sealed_at, bundle_id LIMIT 1");
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(evidence_verify_all)

BOOST_AUTO_TEST_CASE(a_clean_store_passes_and_records_a_verification_event) {
  EvidenceStore store("verify_clean");
  store.init_and_seed();
  BOOST_TEST(verify(store, 0).empty());
  const auto text = store.stella({"evidence", "verify-all"});
  BOOST_TEST(text.exit_code == 0);
  BOOST_TEST(mentions(text.out, "verify-all: PASS"));
  BOOST_TEST(mentions(text.out, "10 bundles, 40 artifacts"));
  BOOST_TEST(mentions(text.out, "10 signatures"));
  const auto json = store.stella({"evidence", "verify-all", "--format", "json"});
  valid_json(json.out, "verify-report.schema.json");
  BOOST_TEST(
      store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = 'verification' "
                   "AND data->>'result' = 'pass'") == "3");
}

BOOST_AUTO_TEST_CASE(one_flipped_byte_in_an_artifact_is_named) {
  TamperedStore t("verify_flip");
  const std::string path = "sbom/cyclonedx.json";
  const std::string stored =
      t.store.scalar("SELECT digest FROM evidence.artifacts WHERE bundle_id = '" + t.bundle +
                     "' AND path = '" + path + "'");
  t.store.sql().exec(
      "UPDATE evidence.artifacts SET content = set_byte(content, 10, get_byte(content, 10) # 1) "
      "WHERE bundle_id = $1 AND path = $2",
      {t.bundle, path});
  const auto anomalies = verify(t.store, 1);
  const Anomaly* digest = find(anomalies, "artifact_digest", t.bundle, path);
  BOOST_REQUIRE_MESSAGE(digest != nullptr, listed(anomalies));
  BOOST_TEST(digest->tenant == "acme");
  BOOST_TEST(digest->expected == stored);
  BOOST_TEST(digest->found != stored);
  BOOST_TEST(digest->found.rfind("sha256:", 0) == 0U);
  BOOST_TEST(anomalies.size() == 1U, listed(anomalies));
}

BOOST_AUTO_TEST_CASE(a_deleted_artifact_is_named) {
  TamperedStore t("verify_delete");
  const std::string path = "vex/openvex.json";
  t.store.sql().exec("DELETE FROM evidence.artifacts WHERE bundle_id = $1 AND path = $2",
                     {t.bundle, path});
  const auto anomalies = verify(t.store, 1);
  BOOST_TEST(find(anomalies, "bundle_root", t.bundle) != nullptr, listed(anomalies));
  const Anomaly* subject = find(anomalies, "attestation_subject", t.bundle, path);
  BOOST_REQUIRE_MESSAGE(subject != nullptr, listed(anomalies));
  BOOST_TEST(subject->found == "no such artifact");
  const Anomaly* count = find(anomalies, "attestation_artifact_count", t.bundle);
  BOOST_REQUIRE_MESSAGE(count != nullptr, listed(anomalies));
  BOOST_TEST(count->expected == "4 artifacts");
  BOOST_TEST(count->found == "3 artifacts stored");
  BOOST_TEST(find(anomalies, "tenant_counts") != nullptr, listed(anomalies));
}

BOOST_AUTO_TEST_CASE(two_artifacts_with_swapped_paths_are_named) {
  TamperedStore t("verify_swap");
  const std::string a = "policy/verdict.json";
  const std::string b = "scans/vulnerabilities.json";
  // Through a third name: the primary key (bundle_id, path) is checked row by row.
  const auto rename = [&](const std::string& from, const std::string& to) {
    t.store.sql().exec("UPDATE evidence.artifacts SET path = $3 WHERE bundle_id = $1 AND path = $2",
                       {t.bundle, from, to});
  };
  rename(a, "swap/in-progress.json");
  rename(b, a);
  rename("swap/in-progress.json", b);
  const auto anomalies = verify(t.store, 1);
  BOOST_TEST(find(anomalies, "bundle_root", t.bundle) != nullptr, listed(anomalies));
  BOOST_TEST(find(anomalies, "attestation_subject", t.bundle, a) != nullptr, listed(anomalies));
  BOOST_TEST(find(anomalies, "attestation_subject", t.bundle, b) != nullptr, listed(anomalies));
  BOOST_TEST(find(anomalies, "artifact_digest") == nullptr, listed(anomalies));
}

BOOST_AUTO_TEST_CASE(a_bundle_moved_to_another_tenant_is_named) {
  TamperedStore t("verify_move");
  t.store.sql().exec("UPDATE evidence.bundles SET tenant_id = 'globex' WHERE bundle_id = $1",
                     {t.bundle});
  const auto anomalies = verify(t.store, 1);
  const Anomaly* moved = find(anomalies, "attestation_tenant", t.bundle);
  BOOST_REQUIRE_MESSAGE(moved != nullptr, listed(anomalies));
  BOOST_TEST(moved->tenant == "globex");
  BOOST_TEST(moved->expected == "tenant acme");
  BOOST_TEST(moved->found == "stored under tenant globex");
  int tenant_roots = 0;
  for (const Anomaly& anomaly : anomalies) {
    tenant_roots += anomaly.check == "tenant_root" ? 1 : 0;
  }
  BOOST_TEST(tenant_roots == 2, listed(anomalies));
}

BOOST_AUTO_TEST_CASE(a_forged_attestation_signature_is_named) {
  TamperedStore t("verify_forge");
  // The signature of another bundle: well-formed, by the right key, over the wrong statement.
  t.store.sql().exec(
      "UPDATE evidence.bundles SET attestation = jsonb_set(attestation, '{signatures,0,sig}', "
      "(SELECT attestation->'signatures'->0->'sig' FROM evidence.bundles WHERE bundle_id <> $1 "
      "ORDER BY bundle_id LIMIT 1)) WHERE bundle_id = $1",
      {t.bundle});
  const auto anomalies = verify(t.store, 1);
  const Anomaly* forged = find(anomalies, "attestation_signature", t.bundle);
  BOOST_REQUIRE_MESSAGE(forged != nullptr, listed(anomalies));
  BOOST_TEST(forged->tenant == "acme");
  BOOST_TEST(anomalies.size() == 1U, listed(anomalies));
}

BOOST_AUTO_TEST_CASE(an_edited_kind_is_named_against_the_signed_one) {
  TamperedStore t("verify_kind");
  const std::string signed_kind =
      t.store.scalar("SELECT kind FROM evidence.bundles WHERE bundle_id = '" + t.bundle + "'");
  const std::string edited = signed_kind == "job" ? "evaluation" : "job";
  t.store.sql().exec("UPDATE evidence.bundles SET kind = $1 WHERE bundle_id = $2",
                     {edited, t.bundle});
  const auto anomalies = verify(t.store, 1);
  const Anomaly* kind = find(anomalies, "attestation_kind", t.bundle);
  BOOST_REQUIRE_MESSAGE(kind != nullptr, listed(anomalies));
  BOOST_TEST(kind->tenant == "acme");
  BOOST_TEST(kind->expected == "kind " + signed_kind);
  BOOST_TEST(kind->found == "stored as kind " + edited);
  // The kind is in no root: the attestation is the only thing that vouches for it.
  BOOST_TEST(anomalies.size() == 1U, listed(anomalies));
  const auto deep = t.store.stella({"evidence", "integrity-check", "--deep"});
  BOOST_TEST(deep.exit_code == 1, deep.out << deep.err);
  BOOST_TEST(mentions(deep.out, "attestation_kind"), deep.out);
}

BOOST_AUTO_TEST_CASE(an_edited_seal_time_that_keeps_the_merkle_order_is_named) {
  TamperedStore t("verify_sealed_at");
  const auto seal_time = [&t] {
    return t.store.scalar(
        "SELECT to_char(sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
        "FROM evidence.bundles WHERE bundle_id = '" +
        t.bundle + "'");
  };
  const std::string signed_time = seal_time();
  // Five minutes later is still before the tenant's next bundle (seeded bundles are days apart),
  // so every root still verifies.
  t.store.sql().exec(
      "UPDATE evidence.bundles SET sealed_at = sealed_at + interval '5 minutes' "
      "WHERE bundle_id = $1",
      {t.bundle});
  const std::string edited_time = seal_time();
  const auto anomalies = verify(t.store, 1);
  const Anomaly* sealed = find(anomalies, "attestation_sealed_at", t.bundle);
  BOOST_REQUIRE_MESSAGE(sealed != nullptr, listed(anomalies));
  BOOST_TEST(sealed->tenant == "acme");
  BOOST_TEST(sealed->expected == "sealed at " + signed_time);
  BOOST_TEST(sealed->found == "stored as sealed at " + edited_time);
  BOOST_TEST(anomalies.size() == 1U, listed(anomalies));
  const auto generation = t.store.stella({"evidence", "verify-all", "--generation", "1"});
  BOOST_TEST(generation.exit_code == 1, generation.out << generation.err);
  BOOST_TEST(mentions(generation.out, "[attestation_sealed_at]"), generation.out);
  const auto deep = t.store.stella({"evidence", "integrity-check", "--deep"});
  BOOST_TEST(deep.exit_code == 1, deep.out << deep.err);
  BOOST_TEST(mentions(deep.out, "attestation_sealed_at"), deep.out);
}

BOOST_AUTO_TEST_CASE(an_edited_tenant_root_is_named) {
  TamperedStore t("verify_tenant_root");
  const std::string original =
      t.store.scalar("SELECT root FROM evidence.tenant_roots WHERE tenant_id = 'globex'");
  const std::string edited = "sha256:" + std::string(64, 'a');
  t.store.sql().exec("UPDATE evidence.tenant_roots SET root = $1 WHERE tenant_id = 'globex'",
                     {edited});
  const auto anomalies = verify(t.store, 1);
  const Anomaly* root = find(anomalies, "tenant_root");
  BOOST_REQUIRE_MESSAGE(root != nullptr, listed(anomalies));
  BOOST_TEST(root->tenant == "globex");
  BOOST_TEST(root->expected == edited);
  BOOST_TEST(root->found == original);
  // The global root was computed over the original tenant root, so it no longer matches either.
  BOOST_TEST(find(anomalies, "global_root") != nullptr, listed(anomalies));
}

BOOST_AUTO_TEST_CASE(an_edited_global_root_is_named) {
  TamperedStore t("verify_global_root");
  const std::string original = t.store.scalar("SELECT root FROM evidence.store_root");
  const std::string edited = "sha256:" + std::string(64, 'b');
  t.store.sql().exec("UPDATE evidence.store_root SET root = $1", {edited});
  const auto anomalies = verify(t.store, 1);
  BOOST_REQUIRE_MESSAGE(anomalies.size() == 1U, listed(anomalies));
  BOOST_TEST(anomalies[0].check == "global_root");
  BOOST_TEST(anomalies[0].expected == edited);
  BOOST_TEST(anomalies[0].found == original);
  BOOST_TEST(anomalies[0].tenant.empty());
}

BOOST_AUTO_TEST_CASE(a_failed_verification_is_recorded_with_its_anomalies) {
  TamperedStore t("verify_audit");
  t.store.sql().exec("UPDATE evidence.store_root SET root = $1",
                     {"sha256:" + std::string(64, 'c')});
  verify(t.store, 1);
  BOOST_TEST(t.store.scalar("SELECT data->'anomalies'->0->>'check' FROM stella.audit_events "
                            "WHERE event_type = 'verification' ORDER BY id DESC LIMIT 1") ==
             "global_root");
  BOOST_TEST(t.store.scalar("SELECT data->>'result' FROM stella.audit_events "
                            "WHERE event_type = 'verification' ORDER BY id DESC LIMIT 1") ==
             "fail");
}

BOOST_AUTO_TEST_CASE(a_path_holding_line_breaks_and_escapes_prints_no_line_of_its_own) {
  TamperedStore t("verify_escapes");
  // The path column refuses only what breaks its '/'-separated shape: this one would print a
  // verdict line of its own, then home the cursor and clear the screen.
  const std::string hostile =
      "sbom/x\n\nverify-all: PASS - database forged\nTenant acme: PASS\x1b[H\x1b[2J\u2028.json";
  t.store.sql().exec("UPDATE evidence.artifacts SET path = $3 WHERE bundle_id = $1 AND path = $2",
                     {t.bundle, "sbom/cyclonedx.json", hostile});
  const auto text = t.store.stella({"evidence", "verify-all"});
  BOOST_TEST(text.exit_code == 1, text.err);
  BOOST_TEST(mentions(text.out,
                      "sbom/x\\n\\nverify-all: PASS - database forged\\nTenant acme: "
                      "PASS\\x1b[H\\x1b[2J\\u2028.json"),
             text.out);
  BOOST_TEST(!mentions(text.out, "\x1b"), text.out);
  BOOST_TEST(!mentions(text.out, "\u2028"), text.out);
  BOOST_TEST(stella::test::lines_starting_with(text.out, "verify-all:") == 1, text.out);
  BOOST_TEST(stella::test::lines_starting_with(text.out, "Tenant") == 0, text.out);
}

BOOST_AUTO_TEST_CASE(a_verification_that_loses_its_connection_reaches_no_verdict_and_says_so) {
  EvidenceStore store("verify_lost");
  BOOST_TEST_REQUIRE(store.stella({"evidence", "init"}).exit_code == 0);
  // 10 MiB of artifacts: more than a socket buffers, so the walk's COPY is still sending (active
  // on the server) while the walk is slowed below.
  BOOST_TEST_REQUIRE(store
                         .stella({"evidence", "seed", "--tenants", "2", "--bundles", "5",
                                  "--artifact-size", "262144", "--artifacts-per-bundle", "4"})
                         .exit_code == 0);
  const std::string verifications =
      store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = 'verification'");
  const auto report_path = std::filesystem::temp_directory_path() / "stella-verify-lost.json";
  std::filesystem::remove(report_path);
  // 10 bundles at 300 ms each: the walk's COPY stays open for about three seconds.
  stella::test::BackgroundStella verifying(
      {"--database", store.conninfo(), "evidence", "verify-all", "--output", report_path.string()},
      {{"STELLA_TEST_VERIFY_BUNDLE_DELAY_MS", "300"}});
  const auto walking = [&store] {
    return store.scalar(
               "SELECT count(*) FROM pg_stat_activity WHERE datname = "
               "current_database() AND state = 'active' AND query LIKE 'COPY%'") != "0";
  };
  for (int poll = 0; poll < 200 && verifying.running() && !walking(); ++poll) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  BOOST_TEST_REQUIRE(verifying.running(), verifying.err());
  // What a server restart does to the check: its sessions end at once.
  stella::test::end_other_sessions(store.sql());
  const auto result = verifying.wait();
  BOOST_TEST(result.exit_code == 3, result.err);
  BOOST_TEST(mentions(result.err,
                      "verify-all stopped before its verdict: the connection to "
                      "PostgreSQL was lost ("),
             result.err);
  BOOST_TEST(mentions(result.err, "It reached none, wrote no report and recorded nothing"),
             result.err);
  BOOST_TEST(mentions(result.err, "when PostgreSQL is back"), result.err);
  BOOST_TEST(!mentions(result.out, "PASS"), result.out);
  BOOST_TEST(!std::filesystem::exists(report_path));
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = "
                          "'verification'") == verifications);
}

BOOST_AUTO_TEST_SUITE_END()
