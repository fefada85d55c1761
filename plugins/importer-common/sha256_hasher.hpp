// SHA-256 through OpenSSL EVP, for file checksums (checksums.sha256) inside importer plugins.
#pragma once

#include <string>
#include <string_view>

namespace stella_importer {

/// Lower-case hex SHA-256 of `bytes`. Thread-safety: any thread. Failure: throws
/// stella::sdk::Error(internal) when OpenSSL fails.
std::string sha256_hex(std::string_view bytes);

}  // namespace stella_importer
