// Verifying a pack: the signature against the trusted keys, the manifest against its schema and
// this host's ABI, every plugin manifest against its pack entry, and every file against its digest.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/packs/pack_archive.hpp"
#include "stella/host/packs/pack_manifest.hpp"

namespace stella::host {

/// One failed check: which file, which check, what was found and expected, what to do.
struct PackProblem {
  std::string file;
  /// "signature", "trusted-key", "pack-manifest", "abi", "plugin-manifest", "digest", "file-list"
  std::string check;
  std::string detail;
  std::string remedy;
};

struct PackVerification {
  /// Set when pack-manifest.json could be parsed.
  std::optional<PackManifest> manifest;
  std::string key_id;
  /// Empty when the pack verified.
  std::vector<PackProblem> problems;
};

/// Checks everything, collecting every problem (not only the first). `trusted_keys` unset means no
/// key is trusted, which is itself a problem. Never throws for a bad pack.
PackVerification verify_pack(const PackContents& contents,
                             const std::optional<std::filesystem::path>& trusted_keys);

/// "<file>: <check> check failed: <detail>" for one problem.
std::string describe_pack_problem(const PackProblem& problem);

}  // namespace stella::host
