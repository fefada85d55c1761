// The documented process exit codes (docs/cli.md). Every verb returns one of these.
#pragma once

namespace stella::host {

/// Success.
inline constexpr int kExitSuccess = 0;
/// A verification ran and found a problem (verify-all, verify-bundle, audit verify, ...).
inline constexpr int kExitVerificationFailed = 1;
/// Usage error or bad input (unknown flag, malformed file, unsafe archive).
inline constexpr int kExitBadInput = 2;
/// The store or a plugin refused (lock held, no path between versions, incompatible plugin,
/// database unreachable).
inline constexpr int kExitRefused = 3;

}  // namespace stella::host
