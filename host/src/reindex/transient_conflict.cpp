// PgConnection reports the SQLSTATE inside the message ("[SQLSTATE 40P01]"); the error code alone
// (refused) also covers lost connections, which a retry on the same connection cannot fix.
#include "reindex/transient_conflict.hpp"

#include <array>
#include <string_view>

namespace stella::host {

bool is_retryable_conflict(const sdk::Error& error) {
  static constexpr std::array<std::string_view, 4> kMarkers = {
      "[SQLSTATE 40P01", "[SQLSTATE 40001", "[SQLSTATE 55P03", "[SQLSTATE 23505"};
  const std::string_view message = error.what();
  for (const std::string_view marker : kMarkers) {
    if (message.find(marker) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace stella::host
