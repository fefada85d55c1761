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
  const auto algorithm = find_evp_algorithm(id);
  if (!algorithm) {
    return std::nullopt;
  }
  const EVP_MD* md = EVP_get_digestbyname(algorithm->openssl_name);
  if (md == nullptr) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(EVP_MD_get_size(md));
}

}  // namespace stella::host::merkle_detail
