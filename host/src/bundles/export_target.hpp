// Where an export lands and how it gets there: everything is written to a hidden staging sibling
// of the target, which becomes the target by one rename only when the export is complete, so a
// failure (or a refusal half-way) leaves no half-written bundle where the operator expects one.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace stella::host {

/// Ownership: owns the staging path; removes it on destruction unless commit() succeeded.
/// Thread-safety: one thread.
/// Failure: the constructor throws sdk::Error(invalid_input) when the target is not empty (and
/// `force` is not set), is of the wrong kind (a directory for --portable), or its parent cannot be
/// created; commit() throws sdk::Error(internal) when the rename fails.
class ExportTarget {
 public:
  /// `requested`: --output as given ("/backup/evidence-20260131/" names a directory; the trailing
  /// slash is allowed). `portable`: the target is one file.
  ExportTarget(const std::string& requested, bool portable, bool force);
  ~ExportTarget();
  ExportTarget(const ExportTarget&) = delete;
  ExportTarget& operator=(const ExportTarget&) = delete;

  /// Where to write: an empty directory (created) for a directory export, a path that does not
  /// exist yet for a portable one.
  const std::filesystem::path& staging() const { return staging_; }
  /// The final, absolute path.
  const std::filesystem::path& path() const { return target_; }
  /// Moves the staging output to the target (replacing an old target when forced).
  void commit();
  /// Without --force: throws sdk::Error(invalid_input) when something was put at the target since
  /// the export began (another export to the same path), which this one must not replace. Called
  /// before the export is recorded; commit() refuses the same way if it happens after that.
  void require_target_still_free() const;

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  /// Directories above the target that did not exist and were created for it, outermost first.
  std::vector<std::filesystem::path> created_parents_;
  bool portable_;
  bool force_;
  bool committed_ = false;
};

}  // namespace stella::host
