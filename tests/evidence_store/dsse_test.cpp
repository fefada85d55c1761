// DSSE: the pre-authentication encoding of the spec, Ed25519 signing and verification through
// OpenSSL, and envelopes/statements that are altered.
#include <boost/test/unit_test.hpp>

#include "stella/host/evidence/dsse_envelope.hpp"
#include "stella/host/evidence/ed25519_key.hpp"
#include "stella/host/evidence/evidence_statement.hpp"
#include "stella/sdk/error.hpp"

namespace host = stella::host;

namespace {

host::Ed25519Key test_key(std::uint8_t fill) {
  std::array<std::uint8_t, host::kEd25519KeyBytes> seed{};
  seed.fill(fill);
  return host::Ed25519Key::from_private_seed(seed);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dsse)

BOOST_AUTO_TEST_CASE(pae_matches_the_dsse_specification_example) {
  // protocol.md of secure-systems-lab/dsse: PAE("http://example.com/HelloWorld", "hello world").
  BOOST_TEST(host::dsse_pae("http://example.com/HelloWorld", "hello world") ==
             "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
}

BOOST_AUTO_TEST_CASE(rfc8032_test_1_public_key_and_signature) {
  // RFC 8032 §7.1 TEST 1: secret key 9d61b19d..., empty message.
  const std::string secret_hex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  std::array<std::uint8_t, host::kEd25519KeyBytes> secret{};
  for (std::size_t i = 0; i < secret.size(); ++i) {
    secret[i] = static_cast<std::uint8_t>(std::stoi(secret_hex.substr(2 * i, 2), nullptr, 16));
  }
  const auto key = host::Ed25519Key::from_private_seed(secret);
  const auto hex = [](const std::string& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text;
    for (const char c : bytes) {
      text += kDigits[(static_cast<unsigned char>(c) >> 4) & 0xf];
      text += kDigits[static_cast<unsigned char>(c) & 0xf];
    }
    return text;
  };
  BOOST_TEST(hex(key.raw_public_key()) ==
             "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  BOOST_TEST(hex(key.sign("")) ==
             "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
             "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
}

BOOST_AUTO_TEST_CASE(signature_verifies_with_the_public_pem_and_fails_when_anything_changes) {
  const auto key = test_key(7);
  const auto public_only = host::Ed25519Key::from_public_pem(key.public_pem());
  const std::string message = host::dsse_pae(host::kInTotoPayloadType, "{\"a\":1}");
  const std::string signature = key.sign(message);
  BOOST_TEST(public_only.verify(message, signature));
  BOOST_TEST(!public_only.verify(message + " ", signature));
  std::string flipped = signature;
  flipped[0] = static_cast<char>(flipped[0] ^ 1);
  BOOST_TEST(!public_only.verify(message, flipped));
  BOOST_TEST(!test_key(8).verify(message, signature));
}

BOOST_AUTO_TEST_CASE(envelope_round_trips_through_json) {
  host::DsseEnvelope envelope{host::kInTotoPayloadType,
                              "payload \x01\x02 bytes",
                              {{"key-1", std::string("\x00\xff sig", 6)}}};
  const auto parsed = host::parse_dsse_envelope(host::dsse_envelope_to_json(envelope));
  BOOST_TEST(parsed.payload_type == envelope.payload_type);
  BOOST_TEST(parsed.payload == envelope.payload);
  BOOST_REQUIRE(parsed.signatures.size() == 1U);
  BOOST_TEST(parsed.signatures[0].key_id == "key-1");
  BOOST_TEST(parsed.signatures[0].signature == envelope.signatures[0].signature);
}

BOOST_AUTO_TEST_CASE(malformed_envelopes_name_what_is_wrong) {
  const auto message_of = [](const std::string& json) {
    try {
      host::parse_dsse_envelope(json);
    } catch (const stella::sdk::Error& e) {
      BOOST_TEST(static_cast<int>(e.code()) ==
                 static_cast<int>(stella::sdk::ErrorCode::invalid_input));
      return std::string(e.what());
    }
    return std::string("no error");
  };
  BOOST_TEST(message_of("{").find("not valid JSON") != std::string::npos);
  BOOST_TEST(message_of(R"({"payload":"eA==","signatures":[]})").find("'payloadType'") !=
             std::string::npos);
  BOOST_TEST(message_of(R"({"payloadType":"t","payload":"%%%%","signatures":[]})")
                 .find("payload is not valid base64") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(statement_round_trips_and_a_foreign_predicate_is_refused) {
  host::EvidenceStatement statement;
  statement.subjects = {{"sbom/cyclonedx.json", "sha256", std::string(64, 'a')},
                        {"vex/openvex.json", "sha256", std::string(64, 'b')}};
  statement.tenant = "acme";
  statement.bundle_id = "b-1";
  statement.kind = "evaluation";
  statement.sealed_at = "2026-01-01T00:00:00.000000Z";
  const std::string json = host::evidence_statement_to_json(statement);
  const auto parsed = host::parse_evidence_statement(json);
  BOOST_TEST(parsed.tenant == "acme");
  BOOST_TEST(parsed.bundle_id == "b-1");
  BOOST_TEST(parsed.kind == "evaluation");
  BOOST_TEST(parsed.sealed_at == "2026-01-01T00:00:00.000000Z");
  BOOST_TEST(parsed.artifact_count == 2U);
  BOOST_REQUIRE(parsed.subjects.size() == 2U);
  BOOST_TEST(parsed.subjects[1].name == "vex/openvex.json");
  BOOST_TEST(parsed.subjects[1].hex == std::string(64, 'b'));

  std::string foreign = json;
  foreign.replace(foreign.find(host::kEvidenceBundlePredicateType),
                  std::string(host::kEvidenceBundlePredicateType).size(),
                  "https://slsa.dev/provenance/v1");
  BOOST_CHECK_THROW(host::parse_evidence_statement(foreign), stella::sdk::Error);
}

BOOST_AUTO_TEST_SUITE_END()
