// --expect-root: a bundle proves itself only up to its own global root. Whoever re-rooted a forged
// bundle (new digests, roots, proofs, checksums, signatures under a key of their own) produced one
// that verifies; what they cannot produce is the global root the source recorded. The receiver
// gets that root by another channel (the source's `roots-export`, its audit trail, a ticket) and
// gives it here.
#pragma once

#include <string>

#include "stella/host/bundles/content_verifier.hpp"

namespace stella::host {

/// Throws sdk::Error(invalid_input) naming the option when `root` is not "<algorithm>:<hex>".
void require_root_argument(const std::string& root, const std::string& option);

/// Adds an `expected_global_root` problem to `result` when the global root its evidence commits
/// to — recomputed when the source holds every tenant, else the declared root its tenant proofs
/// lead to — is not `expected`, or when the source has no global root at all.
void check_expected_global_root(SourceVerification& result, const std::string& expected);

}  // namespace stella::host
