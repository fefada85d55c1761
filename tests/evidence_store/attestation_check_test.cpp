// The attestation check on plain values: the kind, seal time and artifact count a bundle is stored
// with must be the ones its predicate signs; the seal time is compared as an instant, whatever the
// number of fraction digits the signer wrote.
#include <boost/test/unit_test.hpp>

#include "evidence/attestation_check.hpp"
#include "stella/host/evidence/dsse_envelope.hpp"
#include "stella/host/evidence/evidence_statement.hpp"

namespace host = stella::host;

namespace {

constexpr const char* kKeyId = "unit-ed25519";

host::Ed25519Key signing_key() {
  std::array<std::uint8_t, host::kEd25519KeyBytes> seed{};
  seed.fill(7);
  return host::Ed25519Key::from_private_seed(seed);
}

/// A bundle of tenant acme with two artifacts, its attestation signed over `payload`.
host::AttestationJob job_signing(const std::string& payload) {
  host::DsseEnvelope envelope;
  envelope.payload_type = host::kInTotoPayloadType;
  envelope.payload = payload;
  envelope.signatures.push_back(
      {kKeyId, signing_key().sign(host::dsse_pae(envelope.payload_type, envelope.payload))});
  host::AttestationJob job;
  job.tenant_id = "acme";
  job.bundle_id = "b-1";
  job.kind = "evaluation";
  job.sealed_at = "2026-01-31T12:00:00.500000Z";
  job.attestation = host::dsse_envelope_to_json(envelope);
  job.artifacts = {{"sbom/cyclonedx.json", "sha256:" + std::string(64, 'a')},
                   {"vex/openvex.json", "sha256:" + std::string(64, 'b')}};
  return job;
}

/// The Statement of that bundle, with the seal time spelled `sealed_at`.
std::string statement_sealed_at(const std::string& sealed_at) {
  host::EvidenceStatement statement;
  statement.subjects = {{"sbom/cyclonedx.json", "sha256", std::string(64, 'a')},
                        {"vex/openvex.json", "sha256", std::string(64, 'b')}};
  statement.tenant = "acme";
  statement.bundle_id = "b-1";
  statement.kind = "evaluation";
  statement.sealed_at = sealed_at;
  return host::evidence_statement_to_json(statement);
}

std::vector<host::VerifyAnomaly> check(const host::AttestationJob& job) {
  const host::SigningKeyring keyring =
      host::make_keyring({host::SigningKeyRecord{kKeyId, "ed25519", signing_key().public_pem()}});
  host::AttestationOutcome outcome = host::check_attestation(job, keyring);
  BOOST_TEST(outcome.signatures_checked == 1);
  return outcome.anomalies;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(attestation_check)

BOOST_AUTO_TEST_CASE(a_seal_time_signed_with_fewer_fraction_digits_is_the_same_instant) {
  for (const char* spelling : {"2026-01-31T12:00:00.500000Z", "2026-01-31T12:00:00.5Z"}) {
    const auto anomalies = check(job_signing(statement_sealed_at(spelling)));
    BOOST_TEST(anomalies.empty(), spelling);
  }
}

BOOST_AUTO_TEST_CASE(a_kind_other_than_the_signed_one_is_named) {
  host::AttestationJob job = job_signing(statement_sealed_at("2026-01-31T12:00:00.500000Z"));
  job.kind = "job";
  const auto anomalies = check(job);
  BOOST_REQUIRE_EQUAL(anomalies.size(), 1U);
  BOOST_TEST(anomalies[0].check == "attestation_kind");
  BOOST_TEST(anomalies[0].tenant == "acme");
  BOOST_TEST(anomalies[0].bundle == "b-1");
  BOOST_TEST(anomalies[0].expected == "kind evaluation");
  BOOST_TEST(anomalies[0].found == "stored as kind job");
}

BOOST_AUTO_TEST_CASE(a_seal_time_one_microsecond_off_is_named) {
  host::AttestationJob job = job_signing(statement_sealed_at("2026-01-31T12:00:00.5Z"));
  job.sealed_at = "2026-01-31T12:00:00.500001Z";
  const auto anomalies = check(job);
  BOOST_REQUIRE_EQUAL(anomalies.size(), 1U);
  BOOST_TEST(anomalies[0].check == "attestation_sealed_at");
  BOOST_TEST(anomalies[0].expected == "sealed at 2026-01-31T12:00:00.5Z");
  BOOST_TEST(anomalies[0].found == "stored as sealed at 2026-01-31T12:00:00.500001Z");
}

BOOST_AUTO_TEST_CASE(a_seal_time_that_is_not_rfc_3339_utc_matches_no_stored_time) {
  // The same instant with an offset: a store holds UTC, and bundles carry it with "Z"; a time
  // in another form is not compared loosely, and the message says why it does not match.
  const auto anomalies =
      check(job_signing(statement_sealed_at("2026-01-31T13:00:00.500000+01:00")));
  BOOST_REQUIRE_EQUAL(anomalies.size(), 1U);
  BOOST_TEST(anomalies[0].check == "attestation_sealed_at");
  BOOST_TEST(anomalies[0].message.find("not RFC 3339 UTC") != std::string::npos,
             anomalies[0].message);
}

BOOST_AUTO_TEST_CASE(a_signed_artifact_count_other_than_the_stored_one_is_named) {
  // The subjects name both artifacts; only the count the signer wrote is wrong.
  std::string payload = statement_sealed_at("2026-01-31T12:00:00.500000Z");
  const std::string count = "\"artifactCount\":2";
  BOOST_REQUIRE(payload.find(count) != std::string::npos);
  payload.replace(payload.find(count), count.size(), "\"artifactCount\":3");
  const auto anomalies = check(job_signing(payload));
  BOOST_REQUIRE_EQUAL(anomalies.size(), 1U);
  BOOST_TEST(anomalies[0].check == "attestation_artifact_count");
  BOOST_TEST(anomalies[0].expected == "3 artifacts");
  BOOST_TEST(anomalies[0].found == "2 artifacts stored");
}

BOOST_AUTO_TEST_SUITE_END()
