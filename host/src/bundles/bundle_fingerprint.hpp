// What makes two copies of a bundle "the same bundle": every field of the bundle, its root, its
// attestation (as canonical JSON) and each artifact's path, media type and digest. An import
// compares the fingerprint of a bundle it reads with that of the stored bundle of the same id:
// equal means already imported, different means a conflict it must refuse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stella::host {

struct BundleArtifactIdentity {
  std::string path;
  std::string media_type;
  std::string digest;
};

struct BundleIdentity {
  std::string tenant;
  std::string bundle_id;
  std::string kind;
  std::string status;
  std::string subject;
  std::int64_t created_at_unix_us = 0;
  std::int64_t sealed_at_unix_us = 0;
  std::string root;
  /// Canonical JSON of the attestation (canonical_json), nullopt for none.
  std::optional<std::string> attestation;
  /// In any order; the fingerprint sorts them by path.
  std::vector<BundleArtifactIdentity> artifacts;
};

/// "sha256:<hex>" over a fixed serialisation of `identity` (artifacts sorted by path).
std::string bundle_fingerprint(BundleIdentity identity);

}  // namespace stella::host
