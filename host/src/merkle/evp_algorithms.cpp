#include "merkle/evp_algorithms.hpp"

#include <algorithm>
#include <array>

#include <openssl/evp.h>

namespace stella::host::merkle_detail {

namespace {

// The ids are what operators type and what digest strings carry; the names are the ones
// EVP_get_digestbyname / EVP_MD_fetch know.
constexpr std::array kAlgorithms{
    EvpAlgorithm{"sha256", "SHA256"},           EvpAlgorithm{"sha384", "SHA384"},
    EvpAlgorithm{"sha512", "SHA512"},           EvpAlgorithm{"sha3-256", "SHA3-256"},
    EvpAlgorithm{"blake2b-512", "BLAKE2B-512"}, EvpAlgorithm{"sm3", "SM3"},
};

}  // namespace

std::span<const EvpAlgorithm> evp_algorithms() {
  return kAlgorithms;
}

std::optional<EvpAlgorithm> find_evp_algorithm(std::string_view id) {
  const auto it = std::find_if(kAlgorithms.begin(), kAlgorithms.end(),
                               [&](const EvpAlgorithm& entry) { return entry.id == id; });
  if (it == kAlgorithms.end()) {
    return std::nullopt;
  }
  return *it;
}

std::string evp_algorithm_list() {
  std::string list;
  for (const auto& entry : kAlgorithms) {
    if (!list.empty()) {
      list += ", ";
    }
    list += entry.id;
  }
  return list;
}

std::optional<std::size_t> evp_digest_size(std::string_view id) {
  // Asked for every digest string parsed, so OpenSSL is consulted once per algorithm, not per call.
  static const std::array<std::optional<std::size_t>, kAlgorithms.size()> sizes = [] {
    std::array<std::optional<std::size_t>, kAlgorithms.size()> result;
    for (std::size_t i = 0; i < kAlgorithms.size(); ++i) {
      if (const EVP_MD* md = EVP_get_digestbyname(kAlgorithms[i].openssl_name)) {
        result[i] = static_cast<std::size_t>(EVP_MD_get_size(md));
      }
    }
    return result;
  }();
  for (std::size_t i = 0; i < kAlgorithms.size(); ++i) {
    if (kAlgorithms[i].id == id) {
      return sizes[i];
    }
  }
  return std::nullopt;
}

}  // namespace stella::host::merkle_detail
