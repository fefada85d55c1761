// SHA-256 of bytes in memory, as "sha256:<lower-hex>" (the form every digest string takes).
#pragma once

#include <string>
#include <string_view>

namespace stella::host {

/// Throws sdk::Error(internal) when OpenSSL fails.
std::string bytes_sha256(std::string_view bytes);

}  // namespace stella::host
