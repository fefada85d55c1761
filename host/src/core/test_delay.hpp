// The test-only delay hooks (STELLA_TEST_*_DELAY_MS): tests slow a reindex's batches, an export's
// bundles or an import's files so that they can signal, kill, join or feed the work mid-way.
// Operators never set them.
#pragma once

#include <chrono>
#include <cstdlib>

namespace stella::host {

/// The delay named by the environment variable `variable` (milliseconds); zero when unset.
inline std::chrono::milliseconds test_delay_from_environment(const char* variable) {
  const char* value = std::getenv(variable);
  return std::chrono::milliseconds(value == nullptr ? 0 : std::atoll(value));
}

}  // namespace stella::host
