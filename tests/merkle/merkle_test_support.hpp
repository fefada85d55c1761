// Helpers shared by the Merkle tests: base64 (the RFC 6962 vectors' encoding), byte views of text,
// and an MTH written straight from RFC 9162's recursive definition to check the streaming builder
// against.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::test {

/// Decodes standard base64 with padding. Throws std::invalid_argument on anything else.
std::vector<std::uint8_t> base64_decode(std::string_view text);

/// The bytes of a string, for hashing.
inline host::ByteView bytes_of(std::string_view text) {
  return host::ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

/// MTH(D[n]) by the recursive definition of RFC 9162 §2.1.1.
host::DigestBytes reference_mth(const host::TreeHasher& hasher,
                                const std::vector<host::DigestBytes>& leaf_hashes);

/// Leaf hashes of `count` distinct generated leaves.
std::vector<host::DigestBytes> generated_leaf_hashes(const host::TreeHasher& hasher,
                                                     std::size_t count);

/// "[hex, hex, ...]": digests compared in tests print readably when they differ.
std::string hex_list(const std::vector<host::DigestBytes>& digests);

}  // namespace stella::test
