// Ed25519 keys: OpenSSL reads keys and signs DSSE envelopes (seed); libsodium verifies signatures
// (verify-all, verify-bundle, import), which it does in less than half OpenSSL 3.0's time.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_pkey_st;

namespace stella::host {

/// Length of an Ed25519 private key seed and of a raw public key (RFC 8032).
inline constexpr std::size_t kEd25519KeyBytes = 32;

/// An Ed25519 key pair or public key.
///
/// Ownership: shares the underlying EVP_PKEY (copies are cheap). Thread-safety: sign and verify may
/// be called from several threads at once (each call uses its own EVP_MD_CTX).
/// Failure: throws sdk::Error(internal) when OpenSSL fails, sdk::Error(invalid_input) for a PEM
/// text that holds no Ed25519 public key.
class Ed25519Key {
 public:
  /// The key pair whose private key is `seed` (32 bytes), e.g. derived from a seed number.
  static Ed25519Key from_private_seed(const std::array<std::uint8_t, kEd25519KeyBytes>& seed);
  /// A public key from "-----BEGIN PUBLIC KEY-----" PEM text.
  static Ed25519Key from_public_pem(std::string_view pem);

  /// Signature (64 bytes) over `message`. Needs the private key.
  std::string sign(std::string_view message) const;
  /// True when `signature` is a valid signature of `message` by this key.
  bool verify(std::string_view message, std::string_view signature) const;
  /// The public key as PEM (SubjectPublicKeyInfo).
  std::string public_pem() const;
  /// The raw 32-byte public key.
  std::string raw_public_key() const;

 private:
  explicit Ed25519Key(std::shared_ptr<evp_pkey_st> key);
  std::shared_ptr<evp_pkey_st> key_;
  /// The raw public key, read once from the EVP_PKEY: libsodium verifies with it.
  std::array<std::uint8_t, kEd25519KeyBytes> public_key_{};
};

}  // namespace stella::host
