// Checks one bundle's DSSE attestation against the bundle as stored.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stella/host/evidence/ed25519_key.hpp"
#include "stella/host/evidence/store_verifier.hpp"

namespace stella::host {

/// A stored signing key, or why it cannot be used.
struct UsableKey {
  std::optional<Ed25519Key> key;
  std::string problem;
};
using SigningKeyring = std::map<std::string, UsableKey, std::less<>>;

/// Parses every stored key once; a key whose PEM or algorithm is unusable is kept with its problem.
SigningKeyring make_keyring(const std::vector<SigningKeyRecord>& keys);

/// What the check needs to know about a bundle.
struct AttestationJob {
  std::string tenant_id;
  std::string bundle_id;
  /// The bundle's kind and seal time as stored, which the attestation's predicate signs. The seal
  /// time is ISO 8601 UTC with six fraction digits ("2026-01-31T12:00:00.000000Z"), as the store
  /// layouts render a timestamptz (iso_utc_sql), so that comparing the text compares the instant.
  std::string kind;
  std::string sealed_at;
  std::optional<std::string> attestation;
  /// (canonical path, stored digest) of every artifact, in path order.
  std::vector<std::pair<std::string, std::string>> artifacts;
};

struct AttestationOutcome {
  std::vector<VerifyAnomaly> anomalies;
  std::int64_t signatures_checked = 0;
};

/// Thread-safety: safe to call concurrently (the keyring is only read).
AttestationOutcome check_attestation(const AttestationJob& job, const SigningKeyring& keyring);

}  // namespace stella::host
