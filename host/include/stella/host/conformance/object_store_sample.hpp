// A valid source in the filesystem object-store layout (docs/bundle-format.md, "Object-store
// layout"), made from an export directory: the same bundles as an evidence service keeps them on
// disk. The positive control for an "object-store" importer.
#pragma once

#include <filesystem>

namespace stella::host {

/// Lays the bundles of `export_directory` (written by `stella evidence export`, with attestations)
/// out as an object store under `store`. Throws sdk::Error(invalid_input) when the export cannot be
/// read, sdk::Error(internal) when a file cannot be written.
void write_object_store_sample(const std::filesystem::path& export_directory,
                               const std::filesystem::path& store);

}  // namespace stella::host
