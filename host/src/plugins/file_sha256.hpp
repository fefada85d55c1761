// SHA-256 of a file, streamed, as "sha256:<lower-hex>".
#pragma once

#include <filesystem>
#include <string>

namespace stella::host {

/// Returns "sha256:<64 lower-case hex digits>" of the file's bytes. Reads in fixed-size chunks,
/// so memory stays flat. Throws stella::sdk::Error(invalid_input) naming the file when it cannot
/// be read, sdk::Error(internal) when OpenSSL fails.
std::string file_sha256(const std::filesystem::path& path);

}  // namespace stella::host
