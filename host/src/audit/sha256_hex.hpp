// SHA-256 of bytes as lower-case hex (OpenSSL), for the audit chain and the state files' digests.
#pragma once

#include <string>
#include <string_view>

namespace stella::host {

/// Lower-case hex SHA-256 of `bytes` (64 characters). Throws sdk::Error(internal) when OpenSSL
/// fails.
std::string sha256_hex(std::string_view bytes);

}  // namespace stella::host
