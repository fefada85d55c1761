// The in-toto Statement (v1) a bundle's attestation signs: its subjects are the bundle's artifacts
// (name = canonical path, digest = sha256) and its predicate names the tenant, the bundle, its
// kind, its seal time and how many artifacts it has.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stella::host {

inline constexpr const char* kInTotoStatementType = "https://in-toto.io/Statement/v1";
/// Predicate type of an evidence bundle attestation (docs/store-schema-1.0.md).
inline constexpr const char* kEvidenceBundlePredicateType =
    "https://stella-ops.org/attestations/evidence-bundle/v1";

struct StatementSubject {
  /// The artifact's canonical path.
  std::string name;
  /// Digest algorithm ("sha256") and lower-case hex value.
  std::string algorithm;
  std::string hex;
};

struct EvidenceStatement {
  std::vector<StatementSubject> subjects;
  std::string tenant;
  std::string bundle_id;
  std::string kind;
  /// ISO 8601 UTC.
  std::string sealed_at;
  /// predicate.artifactCount as parsed. evidence_statement_to_json writes the number of subjects
  /// instead, which is the number of artifacts when each subject carries one digest.
  std::uint64_t artifact_count = 0;
};

/// The Statement as compact JSON (the DSSE payload).
std::string evidence_statement_to_json(const EvidenceStatement& statement);

/// Parses a Statement. Throws sdk::Error(invalid_input) naming what is missing or wrong (type,
/// predicate type, subjects, predicate members). A subject with several digests contributes one
/// StatementSubject per digest.
EvidenceStatement parse_evidence_statement(std::string_view json);

}  // namespace stella::host
