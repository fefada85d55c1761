// `stella evidence seed`: the same arguments give the same store; another seed gives another;
// seeding again adds bundles with new ids; the evidence is what it claims to be.
#include <boost/test/unit_test.hpp>

#include "evidence_store/evidence_store_fixture.hpp"

using stella::test::EvidenceStore;
using stella::test::mentions;
using stella::test::valid_json;

namespace {

/// The roots-export of a store without its times (generatedAt, computedAt differ by run).
std::string roots_of(const EvidenceStore& store) {
  const auto result = store.stella({"evidence", "roots-export", "--all"});
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  const auto document = valid_json(result.out, "roots-export.schema.json");
  std::string text = std::string(document["globalRoot"].GetString()) + "\n";
  for (const auto& tenant : document["tenants"].GetArray()) {
    text += std::string(tenant["tenant"].GetString()) + " " + tenant["root"].GetString() + " " +
            std::to_string(tenant["bundles"].GetInt64()) + " " +
            std::to_string(tenant["artifacts"].GetInt64()) + "\n";
  }
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(evidence_seed)

BOOST_AUTO_TEST_CASE(same_seed_gives_identical_roots_and_another_seed_different_ones) {
  EvidenceStore first("seed_a");
  EvidenceStore second("seed_b");
  EvidenceStore third("seed_c");
  first.init_and_seed("7");
  second.init_and_seed("7");
  third.init_and_seed("8");
  const std::string roots = roots_of(first);
  BOOST_TEST(mentions(roots, "acme sha256:"));
  BOOST_TEST(mentions(roots, "globex sha256:"));
  BOOST_TEST(mentions(roots, " 5 20\n"));
  BOOST_TEST(roots_of(second) == roots);
  BOOST_TEST(roots_of(third) != roots);
  BOOST_TEST(first.digest_of_all_rows().find("evidence.artifacts=") != std::string::npos);
  const std::string artifacts_sql =
      "SELECT md5(string_agg(bundle_id || path || digest, ',' ORDER BY bundle_id, path)) "
      "FROM evidence.artifacts";
  BOOST_TEST(first.scalar(artifacts_sql) == second.scalar(artifacts_sql));
}

BOOST_AUTO_TEST_CASE(seeding_again_adds_bundles_with_new_ids_and_recomputes_roots) {
  EvidenceStore store("seed_again");
  store.init_and_seed("7");
  const std::string roots_before = roots_of(store);
  const auto again =
      store.stella({"evidence", "seed", "--tenants", "3", "--bundles", "2",
                    "--artifacts-per-bundle", "3", "--seed", "7", "--format", "json"});
  BOOST_REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  const auto summary = valid_json(again.out, "seed-summary.schema.json");
  BOOST_TEST(summary["bundlesAdded"].GetInt64() == 6);
  BOOST_TEST(summary["bundleCount"].GetInt64() == 16);
  BOOST_TEST(store.scalar("SELECT count(DISTINCT bundle_id) FROM evidence.bundles") == "16");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.tenants") == "3");
  BOOST_TEST(roots_of(store) != roots_before);
  BOOST_TEST(store.stella({"evidence", "verify-all"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(bundles_hold_realistic_signed_evidence) {
  EvidenceStore store("seed_content");
  store.init_and_seed();
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifacts") == "40");
  BOOST_TEST(
      store.scalar("SELECT count(*) FROM evidence.artifacts WHERE media_type = "
                   "'application/vnd.cyclonedx+json' AND convert_from(content, 'UTF8')::jsonb "
                   "->> 'bomFormat' = 'CycloneDX'") == "10");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifacts WHERE path = 'vex/openvex.json' "
                          "AND convert_from(content, 'UTF8')::jsonb ? 'statements'") == "10");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifacts WHERE "
                          "convert_from(content, 'UTF8') ~ 'CVE-[0-9]{4}-[0-9]+'") != "0");
  // Artifact sizes around 1 KiB, digests of the stored bytes.
  BOOST_TEST(store.scalar("SELECT bool_and(size_bytes BETWEEN 512 AND 2048 AND size_bytes = "
                          "octet_length(content) AND digest = 'sha256:' || "
                          "encode(sha256(content), 'hex')) FROM evidence.artifacts") == "t");
  // Every attestation is an in-toto DSSE envelope signed by the stored Ed25519 key.
  BOOST_TEST(store.scalar(
                 "SELECT count(*) FROM evidence.bundles WHERE attestation->>"
                 "'payloadType' = 'application/vnd.in-toto+json' AND "
                 "attestation->'signatures'->0->>'keyid' IN "
                 "(SELECT key_id FROM evidence.signing_keys WHERE algorithm = 'ed25519')") == "10");
  BOOST_TEST(store.scalar("SELECT bool_and(created_at <= sealed_at AND created_at >= "
                          "'2026-01-01'::timestamptz AND sealed_at <= now()) "
                          "FROM evidence.bundles") == "t");
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = 'seed'") ==
             "1");
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_refused_before_anything_is_written) {
  EvidenceStore store("seed_bad");
  BOOST_REQUIRE(store.stella({"evidence", "init"}).exit_code == 0);
  const std::string before = store.digest_of_all_rows();
  const auto zero = store.stella({"evidence", "seed", "--tenants", "0", "--bundles", "1"});
  BOOST_TEST(zero.exit_code == 2);
  BOOST_TEST(mentions(zero.err, "--tenants is 0; expected 1 to"));
  const auto date = store.stella(
      {"evidence", "seed", "--tenants", "1", "--bundles", "1", "--since", "last tuesday"});
  BOOST_TEST(date.exit_code == 2);
  BOOST_TEST(mentions(date.err, "--since"));
  const auto missing = store.stella({"evidence", "seed", "--tenants", "1"});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(mentions(missing.err, "bundles"));
  BOOST_TEST(store.digest_of_all_rows() == before);
}

BOOST_AUTO_TEST_SUITE_END()
