// The bad-input corpus: every kind of unsafe or malformed source the host refuses (DESIGN.md
// "Untrusted input"), made from a valid export so that each source is wrong in exactly one way.
// `stella plugins test` feeds it to a storage importer, which must refuse each one with
// sdk::Error(invalid_input); the bundles tests build their hostile sources with the same writer.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "stella/sdk/storage_importer.hpp"

namespace stella::host {

/// The shape of a source. Zero is not a valid value.
enum class SourceShape { directory = 1, tar_gz = 2 };

struct HostileSource {
  /// Stable name of the corpus entry ("dir/dot-dot-path", "tar.gz/symbolic-link").
  std::string name;
  /// What is wrong with it, for a person.
  std::string defect;
  SourceShape shape = SourceShape::directory;
  std::filesystem::path location;
  /// The limits to read it with (the corpus's limits, tightened for the limit cases).
  sdk::ImportLimits limits;
  /// FIFOs inside the source. An importer that opens one would wait for a writer forever; whoever
  /// reads the source holds a FifoWriters over them (fifo_writers.hpp) so that it gets end-of-file.
  std::vector<std::filesystem::path> fifos = {};
};

/// The limits the corpus is read with: the host's defaults, with the JSON document size and the
/// point from which the compression ratio is judged lowered so that the "huge manifest" and the
/// "decompression bomb" stay a few MiB on disk.
sdk::ImportLimits hostile_corpus_limits();

/// Builds the corpus under `scratch` (an empty directory the caller removes) from the export
/// directory `valid_export` (as `stella evidence export` wrote it): directory variants and tar.gz
/// variants of each defect. Throws sdk::Error(internal) when a file cannot be written.
std::vector<HostileSource> build_hostile_corpus(const std::filesystem::path& valid_export,
                                                const std::filesystem::path& scratch);

}  // namespace stella::host
