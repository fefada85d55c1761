// The realistic evidence documents `stella evidence seed` fills bundles with: CycloneDX SBOMs,
// OpenVEX statements, vulnerability scan results, policy verdicts, SLSA provenance, license and
// secret scans, reachability summaries. Deterministic given the random stream; no wall-clock times
// inside, so that a store's roots depend only on the seed arguments.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "evidence/seed_random.hpp"

namespace stella::host {

/// What a document is about.
struct DocumentContext {
  std::string_view tenant_id;
  std::string_view bundle_id;
  /// The image or release the bundle is evidence for ("registry.acme.example/api@sha256:...").
  std::string_view subject;
  std::string_view kind;
};

struct EvidenceDocument {
  std::string path;
  std::string media_type;
  std::string content;
};

/// Number of document types; a bundle's artifact `index` has type index % kEvidenceDocumentTypes.
inline constexpr int kEvidenceDocumentTypes = 8;

/// The `index`-th artifact of a bundle, about `target_bytes` long (it stops adding entries once
/// the target is reached). Paths are unique per index within a bundle.
EvidenceDocument generate_evidence_document(int index, const DocumentContext& context,
                                            std::size_t target_bytes, SeedRandom& random);

}  // namespace stella::host
