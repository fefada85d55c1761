// The result of `stella plugins test`: one named check per property of the plugin contract, each
// passed, failed or skipped with what was expected and what was found (docs/conformance.md).
#pragma once

#include <string>
#include <vector>

#include "stella/sdk/plugin.hpp"

namespace stella::host {

/// How a check ended. Zero is not a valid value.
enum class CheckStatus {
  pass = 1,
  fail = 2,
  /// The check could not run (an earlier check failed, or the host has nothing to test against);
  /// the reason says why. A skipped check never counts as passed.
  skip = 3,
};

struct ConformanceCheck {
  /// Stable name ("published-vectors", "down-restores-rows"), listed in docs/conformance.md.
  std::string name;
  CheckStatus status = CheckStatus::skip;
  /// One line: what the check did and how it ended.
  std::string summary;
  /// For a failure: what the contract expects, and what the plugin did instead.
  std::string expected;
  std::string found;
  /// Further detail lines (each corpus entry accepted, each differing table, ...).
  std::vector<std::string> details;
};

struct ConformanceReport {
  /// What was tested: the manifest's id, version and kind (empty when the manifest is unreadable).
  std::string plugin_id;
  std::string plugin_version;
  std::string kind;
  /// What it provides ("1.0→1.1", "sha3-224", "bundle-dir").
  std::string provides;
  std::string manifest_path;
  std::string library_path;
  /// The throwaway state directory when --keep-home kept it; empty otherwise.
  std::string kept_home;
  std::vector<ConformanceCheck> checks;

  /// True when no check failed.
  bool passed() const;
  int count(CheckStatus status) const;
};

/// "PASS", "FAIL" or "SKIP".
const char* check_status_name(CheckStatus status);

}  // namespace stella::host
