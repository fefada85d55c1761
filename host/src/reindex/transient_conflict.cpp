// The SQLSTATE, not the error code: refused also covers lost connections, which a retry on the same
// connection cannot fix.
#include "reindex/transient_conflict.hpp"

#include "stella/host/store/pg_connection.hpp"
#include "stella/host/store/sqlstate.hpp"

#include <array>
#include <string_view>

namespace stella::host {

bool is_retryable_conflict(const sdk::Error& error) {
  static constexpr std::array<std::string_view, 4> kRetryable = {
      sqlstate::kDeadlockDetected, sqlstate::kSerializationFailure, sqlstate::kLockNotAvailable,
      sqlstate::kUniqueViolation};
  for (const std::string_view code : kRetryable) {
    if (reports_sqlstate(error, code)) {
      return true;
    }
  }
  return false;
}

}  // namespace stella::host
