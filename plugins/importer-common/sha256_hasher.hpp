// SHA-256 through OpenSSL EVP, for file checksums (checksums.sha256) inside importer plugins.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace stella_importer {

using Sha256Digest = std::array<unsigned char, 32>;

/// The SHA-256 of `bytes`. Thread-safety: any thread. Failure: throws
/// stella::sdk::Error(internal) when OpenSSL fails.
Sha256Digest sha256_digest(std::string_view bytes);

/// Lower-case hex SHA-256 of `bytes`. Thread-safety: any thread. Failure: throws
/// stella::sdk::Error(internal) when OpenSSL fails.
std::string sha256_hex(std::string_view bytes);

}  // namespace stella_importer
