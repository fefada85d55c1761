// Reading JSON the tool is given (manifests, plans, bundle manifests) with errors that name the
// file, the byte offset, the line and column, and what the parser expected there.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include <rapidjson/document.h>

namespace stella::host {

/// Largest JSON file the tool reads by default. Manifests and plans are kilobytes; anything this
/// large is refused before it is read into memory (an attacker-supplied "huge manifest").
inline constexpr std::size_t kDefaultMaxJsonBytes = std::size_t{64} * 1024 * 1024;

/// Parses `text`. `origin` names where the text came from ("/x/manifest.json", "--plan argument")
/// and starts every error message.
/// Throws stella::sdk::Error(invalid_input) on malformed JSON:
///   "<origin>: invalid JSON at offset 41 (line 3, column 9): Missing a comma or '}' after an
///    object member."
rapidjson::Document parse_json(std::string_view text, std::string_view origin);

/// Reads and parses a file. Throws stella::sdk::Error(invalid_input) when the file cannot be read,
/// is larger than `max_bytes`, or is not valid JSON; the message names the file.
rapidjson::Document parse_json_file(const std::filesystem::path& path,
                                    std::size_t max_bytes = kDefaultMaxJsonBytes);

}  // namespace stella::host
