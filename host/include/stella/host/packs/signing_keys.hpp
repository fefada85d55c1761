// Ed25519 signing keys for plugin packs: generation, PEM files, key ids, and the directory of
// trusted public keys.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <openssl/evp.h>

namespace stella::host {

/// Frees an OpenSSL key.
struct EvpKeyDeleter {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using EvpKey = std::unique_ptr<EVP_PKEY, EvpKeyDeleter>;

/// The only signature algorithm packs use, as written in pack-manifest.sig.
inline constexpr const char* kPackSignatureAlgorithm = "ed25519";

/// The files `stella plugins keygen` wrote.
struct GeneratedKeyPair {
  /// <dir>/<name>.key: PKCS#8 PEM private key, mode 0600. Keep it secret.
  std::filesystem::path private_key;
  /// <dir>/<name>.pem: SubjectPublicKeyInfo PEM; copy it into the operators' trusted-keys folder.
  std::filesystem::path public_key;
  std::string key_id;
};

/// Generates an Ed25519 key pair into `directory` (created if missing). Never overwrites: throws
/// sdk::Error(refused) naming the file when either file exists; sdk::Error(invalid_input) for a bad
/// name; sdk::Error(internal) when writing or OpenSSL fails.
GeneratedKeyPair generate_signing_key_pair(const std::filesystem::path& directory,
                                           const std::string& name);

/// Reads a PEM Ed25519 private key. Throws sdk::Error(invalid_input) naming the file when it is
/// missing, not a PEM private key, or not Ed25519.
EvpKey read_private_key(const std::filesystem::path& path);

/// Reads a PEM Ed25519 public key (a private key file is refused: trusted-keys folders hold public
/// keys only). Throws sdk::Error(invalid_input) naming the file otherwise.
EvpKey read_public_key(const std::filesystem::path& path);

/// "sha256:<hex>" of the key's DER SubjectPublicKeyInfo: names a key without showing it. Works for
/// private keys too (their public half). Throws sdk::Error(internal) when OpenSSL fails.
std::string signing_key_id(EVP_PKEY* key);

/// One public key of a trusted-keys directory.
struct TrustedKey {
  std::filesystem::path file;
  std::string key_id;
  std::shared_ptr<EVP_PKEY> key;
};

/// Every *.pem public key in `directory` (sorted by file name). Files that are not Ed25519 public
/// keys are skipped and their problems returned in `unusable`. Throws sdk::Error(invalid_input)
/// when the directory cannot be read.
struct TrustedKeys {
  std::vector<TrustedKey> keys;
  std::vector<std::string> unusable;
  const TrustedKey* find(const std::string& key_id) const;
};
TrustedKeys read_trusted_keys(const std::filesystem::path& directory);

}  // namespace stella::host
