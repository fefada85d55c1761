// Plugin kind: a hash algorithm for a new digest generation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "stella/sdk/abi.hpp"
#include "stella/sdk/plugin.hpp"

STELLA_SDK_NAMESPACE_BEGIN

/// Raw digest bytes.
using DigestBytes = std::vector<std::uint8_t>;
/// Bytes handed to a hash function; valid only during the call.
using ByteView = std::span<const std::uint8_t>;

/// An incremental hash computation.
///
/// Ownership: owned by whoever called Reindexer::start(). Thread-safety: one thread at a time.
/// Failure: throws stella::sdk::Error(internal) when the underlying library fails.
class HashState {
 public:
  virtual ~HashState() = default;
  /// Feeds more bytes.
  virtual void update(ByteView bytes) = 0;
  /// Returns the digest; the state must not be used afterwards.
  virtual DigestBytes finish() = 0;
};

/// A reindexer provides one hash algorithm, used for artifact digests and for Merkle tree nodes
/// with RFC 9162 domain separation (leaf prefix 0x00, node prefix 0x01).
///
/// Ownership: created by the plugin's factory, owned by the host. Thread-safety: every const
/// method may be called concurrently from several threads. Failure: throws stella::sdk::Error.
class Reindexer : public Plugin {
 public:
  /// The algorithm id as it appears in digest strings ("sha512" in "sha512:<hex>").
  virtual std::string algorithm_id() const = 0;
  /// Digest size in bytes.
  virtual std::size_t digest_size() const = 0;
  /// Starts an incremental hash.
  virtual std::unique_ptr<HashState> start() const = 0;

  /// Hash of bytes (an artifact's content digest).
  DigestBytes hash(ByteView bytes) const {
    auto state = start();
    state->update(bytes);
    return state->finish();
  }
  /// RFC 9162 leaf hash: H(0x00 || leaf).
  DigestBytes hash_leaf(ByteView leaf) const {
    static constexpr std::uint8_t kLeafPrefix = 0x00;
    auto state = start();
    state->update(ByteView(&kLeafPrefix, 1));
    state->update(leaf);
    return state->finish();
  }
  /// RFC 9162 interior node hash: H(0x01 || left || right).
  DigestBytes hash_node(ByteView left, ByteView right) const {
    static constexpr std::uint8_t kNodePrefix = 0x01;
    auto state = start();
    state->update(ByteView(&kNodePrefix, 1));
    state->update(left);
    state->update(right);
    return state->finish();
  }
};

STELLA_SDK_NAMESPACE_END
