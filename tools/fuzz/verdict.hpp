// What a fuzz target's reading of untrusted input came to. Anything else — a crash, a sanitizer
// report, an exception other than the tool's own error, a hang — is a defect.
#pragma once

#include "stella/sdk/error.hpp"

namespace stella::fuzz {

enum class Verdict {
  /// Every check passed (the verb would exit 0).
  passed = 1,
  /// The input was read and its problems were recorded (exit 1), an unreadable source among them.
  problems = 2,
  /// Refused as bad input, or no reader for it (exit 2 or 3).
  refused = 3,
};

/// The verdict for an error the tool threw on untrusted input: invalid_input (exit 2) or refused
/// (exit 3) is a refusal. An internal error means the tool failed on input it should have judged,
/// a defect: it is printed and the process aborts, so that the fuzzer keeps the input.
Verdict refusal(const sdk::Error& error);

}  // namespace stella::fuzz
