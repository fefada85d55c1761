// What every fuzz target checks: a source, however malformed, is read to a verdict. verify-bundle
// records an unreadable source as a problem and import refuses it with an sdk::Error; anything else
// (a crash, a sanitizer report, another exception, a hang) is a defect.
#pragma once

#include <cstddef>
#include <cstdint>

#include "verdict.hpp"

namespace stella::fuzz {

/// The bytes as an uncompressed tar, gzip-compressed into a portable archive and verified as
/// `stella evidence verify-bundle FILE.tar.gz` does (import reads it through the same code).
Verdict read_as_portable_archive(const std::uint8_t* data, std::size_t size);

/// The bytes as an uncompressed tar, extracted into a directory and verified as
/// `stella evidence verify-bundle DIR` does (the importer chosen as it chooses one: a bundle
/// directory or an object store).
Verdict read_as_directory(const std::uint8_t* data, std::size_t size);

}  // namespace stella::fuzz
