// The hash algorithms the host hashes with through OpenSSL EVP: our ids and OpenSSL's names.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace stella::host::merkle_detail {

/// One supported algorithm: the id used in digest strings and OpenSSL's digest name for it.
struct EvpAlgorithm {
  std::string_view id;
  const char* openssl_name;
};

/// Every supported algorithm, in the order they are listed to users.
std::span<const EvpAlgorithm> evp_algorithms();

/// The entry for `id`, or nullopt when the id is not one of ours.
std::optional<EvpAlgorithm> find_evp_algorithm(std::string_view id);

/// "sha256, sha384, ..." for messages.
std::string evp_algorithm_list();

/// The digest size of a supported algorithm as OpenSSL reports it, or nullopt when `id` is not
/// supported or OpenSSL does not provide it here.
std::optional<std::size_t> evp_digest_size(std::string_view id);

}  // namespace stella::host::merkle_detail
