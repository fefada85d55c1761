// The SQLSTATE, not the error code: refused also covers lost connections, which a retry on the same
// connection cannot fix.
#include "reindex/transient_conflict.hpp"

#include "stella/host/store/pg_connection.hpp"

#include <array>
#include <string_view>

namespace stella::host {

bool is_retryable_conflict(const sdk::Error& error) {
  static constexpr std::array<std::string_view, 4> kRetryable = {"40P01", "40001", "55P03",
                                                                 "23505"};
  for (const std::string_view sqlstate : kRetryable) {
    if (reports_sqlstate(error, sqlstate)) {
      return true;
    }
  }
  return false;
}

}  // namespace stella::host
