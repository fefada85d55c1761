// Digest strings "alg:<lower-hex>": the form every digest and root takes outside the engine.
#include <string>

#include "merkle/evp_algorithms.hpp"
#include "merkle/quoted_excerpt.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

namespace {

constexpr char kSeparator = ':';
constexpr const char* kHint =
    "give a digest as printed by stella, e.g. "
    "'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'";

bool is_algorithm_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool is_lower_hex_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

[[noreturn]] void reject(const std::string& message) {
  throw sdk::Error(sdk::ErrorCode::invalid_input, message, kHint);
}

}  // namespace

std::string format_digest(std::string_view algorithm_id, ByteView digest) {
  std::string text;
  text.reserve(algorithm_id.size() + 1 + digest.size() * 2);
  text.append(algorithm_id);
  text.push_back(kSeparator);
  text += to_hex(digest);
  return text;
}

ParsedDigest parse_digest(std::string_view text) {
  const auto separator = text.find(kSeparator);
  if (separator == std::string_view::npos) {
    reject("digest " + quoted_excerpt(text) +
           " has no algorithm prefix; expected 'alg:lower-hex' such as 'sha256:<64 hex digits>'");
  }
  const std::string_view algorithm = text.substr(0, separator);
  const std::string_view hex = text.substr(separator + 1);
  if (algorithm.empty()) {
    reject("digest " + quoted_excerpt(text) + " has an empty algorithm before ':'");
  }
  for (const char c : algorithm) {
    if (!is_algorithm_char(c)) {
      reject("digest " + quoted_excerpt(text) + " names algorithm " + quoted_excerpt(algorithm) +
             "; expected lower-case letters, digits and '-' such as 'sha256'");
    }
  }
  // For the algorithms we know, the length is part of what makes the string valid.
  const auto expected_size = merkle_detail::evp_digest_size(algorithm);
  const auto expectation = [&] {
    return expected_size ? "lower-case hex of " + std::to_string(*expected_size) + " bytes"
                         : std::string("lower-case hex");
  };
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (!is_lower_hex_char(hex[i])) {
      reject("digest " + quoted_excerpt(text) + " is not " + expectation() + ": found " +
             quoted_excerpt(hex.substr(i, 1)) + " at offset " + std::to_string(separator + 1 + i));
    }
  }
  if (hex.empty() || hex.size() % 2 != 0 || (expected_size && hex.size() != *expected_size * 2)) {
    reject("digest " + quoted_excerpt(text) + " is not " + expectation() + ": found " +
           std::to_string(hex.size()) + " hex digits");
  }
  return ParsedDigest{std::string(algorithm), from_hex(hex)};
}

}  // namespace stella::host
