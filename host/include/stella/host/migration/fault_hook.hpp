// The test-only fault hook of the migration executor (docs/migration.md, "Fault hook"). Tests set
//   STELLA_TEST_FAULT="<plugin id>:<point>[,<plugin id>:<point>...]"
// and the executor fails at that point exactly as a real failure would there, so the automatic
// rollback can be proven at every step and in the middle of a batch. Points of a step (plugin id):
//   before-up, mid-batch:<n>, after-up, before-verify, after-verify,
//   before-down, mid-down-batch:<n>, after-down
// and of the run as a whole (plugin id "run"): before-complete. mid-batch:<n> fails the n-th batch
// of the step (counted over the whole run, resumes included) after its work and before its commit.
// Operators never set it; when it is set, every run says so on stderr and in its log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stella::host {

/// The environment variable that arms the hook.
inline constexpr const char* kTestFaultVariable = "STELLA_TEST_FAULT";
/// The pseudo plugin id of points that belong to the run, not to a step.
inline constexpr const char* kRunFaultScope = "run";

namespace fault_point {
inline constexpr const char* kBeforeUp = "before-up";
inline constexpr const char* kAfterUp = "after-up";
inline constexpr const char* kBeforeVerify = "before-verify";
inline constexpr const char* kAfterVerify = "after-verify";
inline constexpr const char* kBeforeDown = "before-down";
inline constexpr const char* kAfterDown = "after-down";
inline constexpr const char* kBeforeComplete = "before-complete";
/// "mid-batch:<n>" / "mid-down-batch:<n>".
std::string mid_batch(bool down, std::int64_t batch_number);
}  // namespace fault_point

/// Thread-safety: immutable after construction.
class FaultHook {
 public:
  /// Reads STELLA_TEST_FAULT. Throws sdk::Error(invalid_input) when it is set but malformed (a
  /// typo must not silently disable the fault a test relies on).
  static FaultHook from_environment();
  /// A hook from the variable's text (for unit tests); empty text arms nothing.
  static FaultHook from_text(std::string_view text);

  bool armed() const { return !faults_.empty(); }
  /// The variable's text, for the run log.
  const std::string& text() const { return text_; }

  /// Throws sdk::Error(internal) "injected test fault at <plugin>:<point> (STELLA_TEST_FAULT)"
  /// when that point is armed; does nothing otherwise.
  void fire(std::string_view plugin_id, std::string_view point) const;

 private:
  std::string text_;
  std::vector<std::pair<std::string, std::string>> faults_;
};

}  // namespace stella::host
