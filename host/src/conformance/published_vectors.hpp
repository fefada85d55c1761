// Published test vectors of the hash algorithms a reindexer may provide, and OpenSSL's digest of
// the same inputs: what `stella plugins test` holds a reindexer's digests against.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stella::host {

/// A message of the published examples: `pattern` repeated `repeat` times.
struct PublishedMessage {
  std::string_view name;
  std::string_view pattern;
  std::size_t repeat = 1;
  /// Where it is published ("FIPS 180-4 example", "RFC 7693 appendix A").
  std::string_view source;

  std::string bytes() const;
};

struct PublishedVector {
  PublishedMessage message;
  /// The published digest, lower-case hex.
  std::string_view digest_hex;
};

/// The published vectors of `algorithm` ("sha256", "sha3-224", "blake2b-512", "sm3", ...); empty
/// when the table holds none for it.
std::vector<PublishedVector> published_vectors(std::string_view algorithm);

/// Every algorithm the table covers, sorted.
std::vector<std::string> algorithms_with_published_vectors();

/// OpenSSL EVP's digest of `bytes` under `algorithm` (our id), or nullopt when OpenSSL does not
/// provide the algorithm here (or the id is not one the host can map to an OpenSSL name).
std::optional<std::vector<std::uint8_t>> openssl_digest(std::string_view algorithm,
                                                        std::string_view bytes);

}  // namespace stella::host
