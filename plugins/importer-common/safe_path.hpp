// Which relative paths from an untrusted source may be used at all: the first line of defence
// against path traversal ("../../etc/passwd"), absolute paths and names that would break a
// checksum list.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stella_importer {

/// Longest path accepted from a source, in bytes (Linux PATH_MAX).
inline constexpr std::size_t kMaxPathBytes = 4096;
/// Longest single path segment accepted (Linux NAME_MAX).
inline constexpr std::size_t kMaxSegmentBytes = 255;

/// Why `path` is not a safe relative path, or nullopt when it is one: not empty, not absolute,
/// '/'-separated segments none of which is empty, "." or "..", no backslash, no control character
/// (bytes below 0x20 and 0x7f), within kMaxPathBytes and kMaxSegmentBytes.
std::optional<std::string> unsafe_path_reason(std::string_view path);

/// Throws stella::sdk::Error(invalid_input) "<source>: unsafe path '<path>': <reason>" when
/// `path` is not safe.
void require_safe_path(std::string_view path, std::string_view source);

/// The segments of a safe path.
std::vector<std::string_view> path_segments(std::string_view path);

/// `path` quoted for a message, escaped as stella::sdk::printable_text does.
std::string printable(std::string_view path);

}  // namespace stella_importer
