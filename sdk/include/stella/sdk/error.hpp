// The one error type that crosses the plugin boundary.
#pragma once

#include <stdexcept>
#include <string>

#include "stella/sdk/abi.hpp"

STELLA_SDK_NAMESPACE_BEGIN

/// What kind of failure an Error reports. The host maps each to a documented exit code
/// (docs/cli.md). Zero is deliberately not a valid value.
enum class ErrorCode : int {
  /// The input (a file, an archive, an argument, a record) is malformed. Exit code 2.
  invalid_input = 1,
  /// The store or the plugin refuses to proceed in the current state. Exit code 3.
  refused = 2,
  /// A check ran and found a problem (digest mismatch, failed verify). Exit code 1.
  verification_failed = 3,
  /// The operation was cancelled through StepContext::cancelled(). Exit code 3.
  cancelled = 4,
  /// A bug or an environment failure (I/O, database connection). Exit code 3.
  internal = 5,
};

/// Thrown by plugin code (and by host services called from plugin code) to report a failure.
///
/// Ownership: a plain value type; safe to copy. Thread-safety: immutable after construction.
/// The message says what was found and what was expected; the hint says what to do next.
/// The host adds its own context (plugin file, step, batch) when it reports the error.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, std::string hint = {})
      : std::runtime_error(message), code_(code), hint_(std::move(hint)) {}

  /// The failure category.
  ErrorCode code() const noexcept { return code_; }
  /// What the user should do next; empty when there is nothing useful to say.
  const std::string& hint() const noexcept { return hint_; }

 private:
  ErrorCode code_;
  std::string hint_;
};

STELLA_SDK_NAMESPACE_END
