// The hostile tar.gz writer the tests feed the importers with is the host's own (the bad-input
// corpus of `stella plugins test`, stella/host/conformance/hostile_archive.hpp), under the names
// these tests use.
#pragma once

#include <vector>

#include "bundles/bundle_test_support.hpp"
#include "stella/host/conformance/hostile_archive.hpp"

namespace stella::test {

using host::ArchiveEntrySpec;
using host::entries_of_export;
using EntryType = host::ArchiveEntryType;

inline void write_tar_gz(const fs::path& file, const std::vector<ArchiveEntrySpec>& entries) {
  host::write_hostile_tar_gz(file, entries);
}

}  // namespace stella::test
