// The hash function a Merkle tree is built with, and digest strings ("sha256:<lower-hex>").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stella/sdk/reindexer.hpp"

namespace stella::host {

using sdk::ByteView;
using sdk::DigestBytes;

/// A hash algorithm as the Merkle engine uses it. Implemented by the host's built-in OpenSSL EVP
/// hasher and by an adapter over a reindexer plugin.
///
/// Thread-safety: every method may be called concurrently. Failure: throws sdk::Error(internal).
class TreeHasher {
 public:
  virtual ~TreeHasher() = default;
  /// The algorithm id used in digest strings ("sha256").
  virtual std::string algorithm_id() const = 0;
  virtual std::size_t digest_size() const = 0;
  /// Hash of raw bytes (artifact content digests).
  virtual DigestBytes digest(ByteView bytes) const = 0;
  /// RFC 9162 leaf hash: H(0x00 || data).
  virtual DigestBytes hash_leaf(ByteView data) const = 0;
  /// RFC 9162 node hash: H(0x01 || left || right).
  virtual DigestBytes hash_node(ByteView left, ByteView right) const = 0;
  /// Root of the empty tree: H("") (RFC 9162 §2.1.1).
  DigestBytes empty_root() const { return digest(ByteView()); }
};

/// The host's built-in hasher over OpenSSL EVP, by OpenSSL digest name ("sha256", "sha512",
/// "sha3-256", "blake2b-512", "sm3"). Throws sdk::Error(refused) when OpenSSL does not know it.
std::unique_ptr<TreeHasher> make_evp_hasher(std::string_view algorithm_id);

/// The algorithm ids make_evp_hasher accepts, in a fixed order.
std::vector<std::string> evp_hasher_algorithms();

/// A TreeHasher over a reindexer plugin. The plugin object must outlive the adapter.
std::unique_ptr<TreeHasher> make_reindexer_hasher(const sdk::Reindexer& reindexer);

/// "sha256:<lower-hex>".
std::string format_digest(std::string_view algorithm_id, ByteView digest);

/// A parsed digest string.
struct ParsedDigest {
  std::string algorithm_id;
  DigestBytes bytes;
};

/// Parses "alg:<hex>"; throws sdk::Error(invalid_input) naming the text when it is malformed.
ParsedDigest parse_digest(std::string_view text);

/// Lower-case hex of bytes, and back (throws sdk::Error(invalid_input) on bad hex).
std::string to_hex(ByteView bytes);
DigestBytes from_hex(std::string_view hex);

/// The first `count` bytes of `bytes` (fewer when it is shorter) as spaced lower-case hex
/// ("6e 6f 74 20"), for messages that say what a file starts with.
std::string leading_bytes_hex(std::string_view bytes, std::size_t count);

}  // namespace stella::host
