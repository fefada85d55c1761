// One line of checksums.sha256, in the format `sha256sum` writes and `sha256sum -c` reads:
// 64 lower-case hex digits, two spaces (or a space and '*'), the path relative to the bundle's top.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stella_importer {

/// Hex digits of a SHA-256 digest.
inline constexpr std::size_t kSha256HexDigits = 64;

struct ChecksumLine {
  std::string hex;
  std::string path;
};

/// Parses one line (without its newline). Returns nullopt and sets `why` when the line is not in
/// the format (including sha256sum's backslash-escaped form, which safe paths never need).
std::optional<ChecksumLine> parse_checksum_line(std::string_view line, std::string& why);

/// "<hex>  <path>\n".
std::string checksum_line_text(std::string_view hex, std::string_view path);

}  // namespace stella_importer
