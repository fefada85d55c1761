// A command's own words for a lost connection to PostgreSQL (the server crashed or restarted, a
// failover, a terminated session): what the interrupted work leaves behind and how to go on, where
// libpq alone says only "server closed the connection unexpectedly".
#pragma once

#include <string>
#include <string_view>

#include "stella/host/store/external_server.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

/// "<what>: the connection to PostgreSQL was lost (<cause>). <leaves>", exit 3, with the hint
/// "when PostgreSQL is back (…), <then>".
/// What every lost_connection_error says between its `what` and PostgreSQL's words.
inline constexpr std::string_view kLostConnectionWords =
    ": the connection to PostgreSQL was lost (";

inline sdk::Error lost_connection_error(const std::string& what, const std::string& cause,
                                        const std::string& leaves, const std::string& then) {
  return sdk::Error(
      sdk::ErrorCode::refused, what + std::string(kLostConnectionWords) + cause + "). " + leaves,
      "when PostgreSQL is back (" + where_to_see_why_the_server_stopped() + "), " + then);
}

/// True when `error` already is a lost_connection_error: the command has said what the lost
/// session left behind, and no outer caller should say it again in vaguer words.
inline bool told_lost_connection(const sdk::Error& error) {
  return std::string_view(error.what()).find(kLostConnectionWords) != std::string_view::npos;
}

/// Runs `work`. When it fails because its session with PostgreSQL was lost
/// (reports_lost_connection), the error becomes lost_connection_error(what, PostgreSQL's words,
/// leaves, then), unless an inner call already said so (the innermost knows best what its work
/// leaves); every other outcome passes through unchanged.
template <typename Work>
auto said_on_lost_connection(const std::string& what, const std::string& leaves,
                             const std::string& then, Work work) -> decltype(work()) {
  try {
    return work();
  } catch (const sdk::Error& error) {
    if (!reports_lost_connection(error) || told_lost_connection(error)) {
      throw;
    }
    throw lost_connection_error(what, error.what(), leaves, then);
  }
}

/// said_on_lost_connection for a check (verify-all, integrity-check, verify-continuity): an
/// auditor must not read a check cut short as a pass or a fail.
template <typename Work>
auto check_said_on_lost_connection(const std::string& check, Work work) -> decltype(work()) {
  return said_on_lost_connection(
      check + " stopped before its verdict",
      "It reached none, wrote no report and recorded nothing; a check only reads, so the store is "
      "as it was",
      "run the check again", work);
}

}  // namespace stella::host
