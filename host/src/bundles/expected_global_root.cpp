// The receiver's own root against the bundle's (expected_global_root.hpp).
#include "stella/host/bundles/expected_global_root.hpp"

#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

void require_root_argument(const std::string& root, const std::string& option) {
  try {
    parse_digest(root);
  } catch (const sdk::Error& error) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     option + " '" + root + "' is not a root: " + error.what(),
                     "give the global root as `stella evidence roots-export` prints it, "
                     "<algorithm>:<hex> (for example sha256:3f2a…)");
  }
}

void check_expected_global_root(SourceVerification& result, const std::string& expected) {
  const std::string found = result.global_root_recomputed
                                ? result.computed_global_root
                                : result.declared_global_root.value_or(std::string());
  if (found == expected) {
    return;
  }
  BundleProblem problem;
  problem.check = "expected_global_root";
  problem.expected = expected;
  problem.found = found.empty() ? "no global root" : found;
  problem.message =
      "the evidence commits to another global root than the one given with --expect-root: it is "
      "not the evidence that root stands for, or it was altered and re-rooted; do not import it";
  ++result.problem_count;
  if (result.problems.size() < kMaxListedProblems) {
    result.problems.push_back(std::move(problem));
  }
}

}  // namespace stella::host
