// A command's own words for a lost connection to PostgreSQL (the server crashed or restarted, a
// failover, a terminated session): what the interrupted work leaves behind and how to go on, where
// libpq alone says only "server closed the connection unexpectedly".
#pragma once

#include <string>

#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

/// "<what>: the connection to PostgreSQL was lost (<cause>). <leaves>", exit 3, with the hint
/// "when PostgreSQL is back (…), <then>".
inline sdk::Error lost_connection_error(const std::string& what, const std::string& cause,
                                        const std::string& leaves, const std::string& then) {
  return sdk::Error(sdk::ErrorCode::refused,
                    what + ": the connection to PostgreSQL was lost (" + cause + "). " + leaves,
                    "when PostgreSQL is back (`stella db status` shows the embedded server; its "
                    "log says why it stopped), " +
                        then);
}

/// Runs `work`. When it fails because its session with PostgreSQL was lost
/// (reports_lost_connection), the error becomes lost_connection_error(what, PostgreSQL's words,
/// leaves, then); every other outcome passes through unchanged.
template <typename Work>
auto said_on_lost_connection(const std::string& what, const std::string& leaves,
                             const std::string& then, Work work) -> decltype(work()) {
  try {
    return work();
  } catch (const sdk::Error& error) {
    if (!reports_lost_connection(error)) {
      throw;
    }
    throw lost_connection_error(what, error.what(), leaves, then);
  }
}

}  // namespace stella::host
