// Turning a fuzzer's bytes into the untrusted sources stella reads: a portable archive, or a
// directory tree (a bundle directory or an object store). The bytes are an uncompressed tar, so
// that a mutation lands in a file name, a header field or a file's contents rather than breaking
// the gzip stream on its first byte.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace stella::fuzz {

/// `tar` with the checksum of every header block it can walk to recomputed, so that libarchive
/// reads a mutated header instead of refusing it at its checksum. The walk stops at the first
/// all-zero block or header whose size field is not octal; what follows is left as it is.
std::string with_header_checksums_fixed(std::string_view tar);

/// Extracts `tar` under the existing empty directory `into`: regular files, directories, symbolic
/// and hard links and FIFOs, never outside `into` (no "..", no absolute paths, no writing through
/// a link); device files and sparse entries are skipped. Stops quietly at the first entry
/// libarchive cannot read, and leaves `into` empty when the bytes are not a tar at all.
void extract_tar(std::string_view tar, const std::filesystem::path& into);

/// A directory of this process's own under the temporary directory, emptied (created when
/// missing) on each call, and removed with the process's other ones when the process exits.
std::filesystem::path fresh_scratch_directory(std::string_view name);

}  // namespace stella::fuzz
