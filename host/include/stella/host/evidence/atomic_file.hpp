// Writing a report file so that readers see either the old file or the complete new one.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace stella::host {

/// Writes `content` to a temporary file beside `path`, flushes it to disk, then renames it over
/// `path`. Throws sdk::Error(invalid_input) naming the path and the system's reason when the
/// directory is missing or not writable; the temporary file is removed on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Why no new file can be created in `directory` (the system's words), or nullopt when one can:
/// proved by creating one and removing it, since access() trusts permission bits that a file
/// system (/proc, a read-only mount, a full quota) may still refuse. For checks before any work.
std::optional<std::string> file_creation_problem(const std::filesystem::path& directory);

/// Checks, before any work, that write_file_atomically can write `path` later: its directory
/// exists, is a directory and is writable, and `path` is not a directory. Verbs whose report comes
/// after minutes of checking call it first, so a mistyped --output is refused at once instead of
/// after the work. Throws sdk::Error(invalid_input) naming what is wrong.
void require_writable_output(const std::filesystem::path& path);

}  // namespace stella::host
