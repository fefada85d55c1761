// The detached signature of a pack (pack-manifest.sig, schemas/plugin-pack-signature.schema.json):
// Ed25519 over the exact bytes of pack-manifest.json, with the signer's key id.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <openssl/evp.h>

#include "stella/host/packs/signing_keys.hpp"

namespace stella::host {

/// The text of pack-manifest.sig for `manifest_bytes`, signed with `private_key` (OpenSSL
/// EVP_DigestSign, no separate digest: Ed25519 hashes internally). Throws sdk::Error(internal).
std::string sign_pack_manifest(std::string_view manifest_bytes, EVP_PKEY* private_key);

/// The outcome of checking a signature against the trusted keys.
struct SignatureCheck {
  /// The key id the signature file names (empty when the file could not be read).
  std::string key_id;
  /// Set when the signature must not be believed; names what was found and expected.
  std::optional<std::string> problem;
  /// What to do about `problem`.
  std::string remedy;
};

/// Checks `signature_text` (the content of pack-manifest.sig) over `manifest_bytes`: well-formed,
/// signed by a key in `trusted`, and the signature verifies. Never throws for a bad signature.
SignatureCheck check_pack_signature(std::string_view manifest_bytes,
                                    std::string_view signature_text, const TrustedKeys& trusted,
                                    const std::string& trusted_directory);

}  // namespace stella::host
