// The attestation of a bundle: signed by a stored key, naming exactly the bundle's artifacts with
// their stored digests, naming the tenant and bundle it is stored under, and signing the kind, seal
// time and artifact count it is stored with.
#include "evidence/attestation_check.hpp"

#include <set>

#include "bundles/rfc3339_time.hpp"
#include "stella/host/evidence/dsse_envelope.hpp"
#include "stella/host/evidence/evidence_statement.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr const char* kSupportedKeyAlgorithm = "ed25519";

class OutcomeBuilder {
 public:
  explicit OutcomeBuilder(const AttestationJob& job) : job_(job) {}

  void add(const char* check, std::string artifact, std::string expected, std::string found,
           std::string message) {
    outcome_.anomalies.push_back(VerifyAnomaly{check, job_.tenant_id, job_.bundle_id,
                                               std::move(artifact), std::move(expected),
                                               std::move(found), std::move(message)});
  }
  AttestationOutcome& outcome() { return outcome_; }

 private:
  const AttestationJob& job_;
  AttestationOutcome outcome_;
};

void check_signatures(const DsseEnvelope& envelope, const SigningKeyring& keyring,
                      OutcomeBuilder& out) {
  if (envelope.signatures.empty()) {
    out.add(verify_check::kAttestationSignature, {}, "at least one signature", "none",
            "the attestation carries no signature");
    return;
  }
  const std::string pae = dsse_pae(envelope.payload_type, envelope.payload);
  for (const DsseSignature& signature : envelope.signatures) {
    const auto key = keyring.find(signature.key_id);
    if (key == keyring.end()) {
      out.add(verify_check::kAttestationKey, {}, "a key in evidence.signing_keys",
              "keyid '" + signature.key_id + "'",
              "the attestation is signed by key '" + signature.key_id +
                  "', which the store does not hold");
      continue;
    }
    if (!key->second.key) {
      out.add(verify_check::kAttestationKey, {}, "a usable Ed25519 public key", key->second.problem,
              "the stored public key '" + signature.key_id + "' cannot be used");
      continue;
    }
    ++out.outcome().signatures_checked;
    if (!key->second.key->verify(pae, signature.signature)) {
      out.add(verify_check::kAttestationSignature, {},
              "a valid Ed25519 signature by key " + signature.key_id,
              "a signature that does not verify",
              "the DSSE signature by key " + signature.key_id +
                  " does not verify: the attestation was altered or forged");
    }
  }
}

/// The bundle's own columns the predicate signs. The seal time orders the bundle among its
/// tenant's (the Merkle order) and places it before or after a root transition, so an edit that
/// keeps the order still changes what the bundle claims.
void check_signed_metadata(const EvidenceStatement& statement, const AttestationJob& job,
                           OutcomeBuilder& out) {
  if (statement.kind != job.kind) {
    out.add(verify_check::kAttestationKind, {}, "kind " + statement.kind,
            "stored as kind " + job.kind,
            "the attestation signs kind " + statement.kind + " but the bundle is stored as kind " +
                job.kind + ": its kind was edited");
  }
  // Compared as instants: the signer may spell the time with fewer fraction digits.
  if (rfc3339_utc_as_stored(statement.sealed_at) != job.sealed_at) {
    const bool readable = parse_rfc3339_utc_micros(statement.sealed_at).has_value();
    out.add(verify_check::kAttestationSealedAt, {}, "sealed at " + statement.sealed_at,
            "stored as sealed at " + job.sealed_at,
            readable ? "the attestation signs the seal time " + statement.sealed_at +
                           " but the bundle is stored as sealed at " + job.sealed_at +
                           ": its seal time was edited"
                     : "the attestation signs the seal time " + statement.sealed_at +
                           ", which is not RFC 3339 UTC (\"Z\", at most microseconds), so it "
                           "cannot vouch for the stored seal time " +
                           job.sealed_at);
  }
  if (statement.artifact_count != job.artifacts.size()) {
    out.add(verify_check::kAttestationArtifactCount, {},
            std::to_string(statement.artifact_count) + " artifacts",
            std::to_string(job.artifacts.size()) + " artifacts stored",
            "the attestation counts " + std::to_string(statement.artifact_count) +
                " artifacts but the bundle holds " + std::to_string(job.artifacts.size()));
  }
}

void check_statement(const EvidenceStatement& statement, const AttestationJob& job,
                     OutcomeBuilder& out) {
  if (statement.tenant != job.tenant_id) {
    out.add(verify_check::kAttestationTenant, {}, "tenant " + statement.tenant,
            "stored under tenant " + job.tenant_id,
            "the attestation names tenant " + statement.tenant +
                " but the bundle is stored under " + "tenant " + job.tenant_id + ": it was moved");
  }
  if (statement.bundle_id != job.bundle_id) {
    out.add(verify_check::kAttestationBundle, {}, "bundle " + statement.bundle_id,
            "stored as bundle " + job.bundle_id,
            "the attestation is for bundle " + statement.bundle_id + ", not this bundle");
  }
  check_signed_metadata(statement, job, out);
  std::map<std::string, std::string, std::less<>> stored(job.artifacts.begin(),
                                                         job.artifacts.end());
  std::set<std::string, std::less<>> attested;
  for (const StatementSubject& subject : statement.subjects) {
    const std::string digest = subject.algorithm + ":" + subject.hex;
    attested.insert(subject.name);
    const auto artifact = stored.find(subject.name);
    if (artifact == stored.end()) {
      out.add(verify_check::kAttestationSubject, subject.name, digest, "no such artifact",
              "the attestation names artifact " + subject.name +
                  ", which the bundle does not have: it was deleted or renamed");
    } else if (artifact->second != digest) {
      out.add(verify_check::kAttestationSubject, subject.name, digest, artifact->second,
              // After a reindex the sha256 digest is recomputed from the stored bytes, so the
              // words say what it is, not where it came from.
              "artifact " + subject.name + " has the " + subject.algorithm + " digest " +
                  artifact->second + " but the attestation signed " + digest);
    }
  }
  for (const auto& [path, digest] : job.artifacts) {
    if (attested.count(path) == 0) {
      out.add(verify_check::kAttestationSubject, path, "not in the bundle", digest,
              "artifact " + path + " is not named by the attestation: it was added or renamed");
    }
  }
}

}  // namespace

SigningKeyring make_keyring(const std::vector<SigningKeyRecord>& keys) {
  SigningKeyring keyring;
  for (const SigningKeyRecord& record : keys) {
    UsableKey usable;
    if (record.algorithm != kSupportedKeyAlgorithm) {
      usable.problem = "algorithm " + record.algorithm;
    } else {
      try {
        usable.key = Ed25519Key::from_public_pem(record.public_key_pem);
      } catch (const sdk::Error& e) {
        usable.problem = e.what();
      }
    }
    keyring.emplace(record.key_id, std::move(usable));
  }
  return keyring;
}

AttestationOutcome check_attestation(const AttestationJob& job, const SigningKeyring& keyring) {
  OutcomeBuilder out(job);
  if (!job.attestation) {
    out.add(verify_check::kAttestationMissing, {}, "a DSSE attestation", "none",
            "the bundle has no attestation, so nothing vouches for its artifacts");
    return std::move(out.outcome());
  }
  DsseEnvelope envelope;
  try {
    envelope = parse_dsse_envelope(*job.attestation);
  } catch (const sdk::Error& e) {
    out.add(verify_check::kAttestationMalformed, {}, "a DSSE envelope", e.what(),
            "the attestation cannot be read");
    return std::move(out.outcome());
  }
  check_signatures(envelope, keyring, out);
  if (envelope.payload_type != kInTotoPayloadType) {
    out.add(verify_check::kAttestationMalformed, {}, kInTotoPayloadType,
            "payloadType " + envelope.payload_type, "the attestation is not an in-toto Statement");
    return std::move(out.outcome());
  }
  try {
    check_statement(parse_evidence_statement(envelope.payload), job, out);
  } catch (const sdk::Error& e) {
    out.add(verify_check::kAttestationMalformed, {}, "an evidence bundle Statement", e.what(),
            "the attestation's Statement cannot be read");
  }
  return std::move(out.outcome());
}

}  // namespace stella::host
