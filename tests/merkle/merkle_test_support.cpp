#include "merkle/merkle_test_support.hpp"

#include <array>
#include <bit>
#include <stdexcept>

namespace stella::test {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t kQuantumChars = 4;
constexpr unsigned kBitsPerChar = 6;
constexpr unsigned kBitsPerByte = 8;
constexpr unsigned kByteMask = 0xff;

host::DigestBytes mth_range(const host::TreeHasher& hasher,
                            const std::vector<host::DigestBytes>& leaves, std::size_t begin,
                            std::size_t end) {
  const std::size_t n = end - begin;
  if (n == 0) {
    return hasher.empty_root();
  }
  if (n == 1) {
    return leaves[begin];
  }
  const std::size_t k = std::bit_floor(n - 1);
  return hasher.hash_node(mth_range(hasher, leaves, begin, begin + k),
                          mth_range(hasher, leaves, begin + k, end));
}

}  // namespace

std::vector<std::uint8_t> base64_decode(std::string_view text) {
  if (text.size() % kQuantumChars != 0) {
    throw std::invalid_argument("base64 length is not a multiple of 4: " + std::string(text));
  }
  std::vector<std::uint8_t> out;
  unsigned buffer = 0;
  unsigned bits = 0;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=') {
      // Padding only at the end, at most two characters.
      if (i + 2 < text.size() || ++padding > 2) {
        throw std::invalid_argument("misplaced base64 padding: " + std::string(text));
      }
      continue;
    }
    if (padding > 0) {
      throw std::invalid_argument("base64 data after padding: " + std::string(text));
    }
    const auto value = kAlphabet.find(c);
    if (value == std::string_view::npos) {
      throw std::invalid_argument("not base64: " + std::string(text));
    }
    buffer = (buffer << kBitsPerChar) | static_cast<unsigned>(value);
    bits += kBitsPerChar;
    if (bits >= kBitsPerByte) {
      bits -= kBitsPerByte;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & kByteMask));
    }
  }
  return out;
}

host::DigestBytes reference_mth(const host::TreeHasher& hasher,
                                const std::vector<host::DigestBytes>& leaf_hashes) {
  return mth_range(hasher, leaf_hashes, 0, leaf_hashes.size());
}

std::vector<host::DigestBytes> generated_leaf_hashes(const host::TreeHasher& hasher,
                                                     std::size_t count) {
  std::vector<host::DigestBytes> leaves;
  leaves.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    leaves.push_back(hasher.hash_leaf(bytes_of("leaf-" + std::to_string(i))));
  }
  return leaves;
}

std::string hex_list(const std::vector<host::DigestBytes>& digests) {
  std::string text = "[";
  for (const auto& digest : digests) {
    if (text.size() > 1) {
      text += ", ";
    }
    text += host::to_hex(digest);
  }
  return text + "]";
}

}  // namespace stella::test
