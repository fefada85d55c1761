#include "bundles/bundle_fingerprint.hpp"

#include <algorithm>

#include "bundles/sha256_stream.hpp"

namespace stella::host {

std::string bundle_fingerprint(BundleIdentity identity) {
  std::sort(identity.artifacts.begin(), identity.artifacts.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  Sha256Stream stream;
  stream.field("stella-bundle-fingerprint-v1");
  stream.field(identity.tenant);
  stream.field(identity.bundle_id);
  stream.field(identity.kind);
  stream.field(identity.status);
  stream.field(identity.subject);
  stream.field(std::to_string(identity.created_at_unix_us));
  stream.field(std::to_string(identity.sealed_at_unix_us));
  stream.field(identity.root);
  stream.field(identity.attestation ? "attestation" : "no attestation");
  stream.field(identity.attestation.value_or(""));
  stream.field(std::to_string(identity.artifacts.size()));
  for (const auto& artifact : identity.artifacts) {
    stream.field(artifact.path);
    stream.field(artifact.media_type);
    stream.field(artifact.digest);
  }
  return "sha256:" + stream.finish_hex();
}

}  // namespace stella::host
