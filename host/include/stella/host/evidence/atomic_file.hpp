// Writing a report file so that readers see either the old file or the complete new one.
#pragma once

#include <filesystem>
#include <string_view>

namespace stella::host {

/// Writes `content` to a temporary file beside `path`, flushes it to disk, then renames it over
/// `path`. Throws sdk::Error(invalid_input) naming the path and the system's reason when the
/// directory is missing or not writable; the temporary file is removed on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace stella::host
