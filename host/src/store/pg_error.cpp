#include "store/pg_error.hpp"

#include "stella/host/store/external_server.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/host/store/sqlstate.hpp"

#include <libpq-fe.h>

#include <cstring>

namespace stella::host {
namespace {

/// What precedes the SQLSTATE in every message throw_statement_error writes.
constexpr std::string_view kSqlstateMarker = "[SQLSTATE ";
/// Ends the bracket of a failure whose session was lost: "[no SQLSTATE, connection lost]" after a
/// statement, "[connection lost]" after a COPY transfer.
constexpr std::string_view kConnectionLostMarker = "connection lost]";

/// Longest statement excerpt quoted in an error message.
constexpr std::size_t kStatementExcerptLength = 120;

constexpr std::string_view kSerializationClass = "40";
constexpr std::string_view kConnectionExceptionClass = "08";
using sqlstate::kAdminShutdown;
using sqlstate::kCannotConnectNow;
using sqlstate::kCrashShutdown;
using sqlstate::kDiskFull;
using sqlstate::kLockNotAvailable;
using sqlstate::kOutOfMemory;
using sqlstate::kQueryCanceled;
using sqlstate::kTooManyConnections;
using sqlstate::kUndefinedColumn;
using sqlstate::kUndefinedFunction;
using sqlstate::kUndefinedTable;
constexpr std::size_t kSqlstateClassLength = 2;

std::string trim_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::string field(pg_result* result, int code) {
  if (result == nullptr) {
    return {};
  }
  const char* value = PQresultErrorField(result, code);
  return value == nullptr ? std::string() : std::string(value);
}

std::string hint_for(sdk::ErrorCode code, std::string_view sqlstate,
                     const std::string& server_hint) {
  if (!server_hint.empty()) {
    return server_hint;
  }
  if (sqlstate == kLockNotAvailable) {
    return "another session holds a conflicting lock; retry when it has finished "
           "(pg_stat_activity shows who holds it)";
  }
  if (sqlstate.substr(0, kSqlstateClassLength) == kSerializationClass) {
    return "the transaction conflicted with a concurrent one; run the command again";
  }
  if (sqlstate == kQueryCanceled) {
    return "the statement was cancelled (statement_timeout or an operator); run it again";
  }
  // What the command had not committed is rolled back; a migration's committed batches are kept
  // (its automatic rollback frees the space its copies took).
  if (sqlstate == kDiskFull) {
    return "the database server has no space left for its files: free space on the volume that "
           "holds its data directory (`stella db status` shows the embedded server's), then run "
           "the command again";
  }
  if (sqlstate == kOutOfMemory) {
    return "the database server ran out of memory: run the command again when the server is "
           "less busy, or with a smaller --batch-size where the command has one";
  }
  if (sqlstate == kTooManyConnections) {
    return "the database server has no free connection slot (max_connections): wait for other "
           "sessions to end, give a smaller --parallel where the command has one, or raise "
           "max_connections";
  }
  if (sqlstate == kUndefinedTable || sqlstate == kUndefinedColumn ||
      sqlstate == kUndefinedFunction) {
    // stella's statements name only objects of the store's recorded schema version, so a missing
    // one means the database is not what its version says: the operator needs to find out which.
    return "the database lacks an object that the store's recorded schema version defines: the "
           "store may be damaged (dropped or altered by hand, or a partial restore). `stella "
           "evidence integrity-check` lists every object that differs from its schema version; "
           "restore the store from a backup (docs/troubleshooting.md)";
  }
  if (code == sdk::ErrorCode::refused) {
    return uses_external_server()
               ? "is the server running and reachable? check the connection string given with "
                 "--database or STELLA_DATABASE, or ask the server's administrator"
               : "is the server running? `stella db status` shows the embedded cluster; check the "
                 "connection string given with --database or STELLA_DATABASE";
  }
  return {};
}

}  // namespace

sdk::ErrorCode error_code_for_sqlstate(std::string_view sqlstate) {
  const std::string_view sqlstate_class = sqlstate.substr(0, kSqlstateClassLength);
  if (sqlstate_class == kSerializationClass || sqlstate_class == kConnectionExceptionClass ||
      sqlstate == kLockNotAvailable || sqlstate == kQueryCanceled || sqlstate == kAdminShutdown ||
      sqlstate == kCrashShutdown || sqlstate == kCannotConnectNow) {
    return sdk::ErrorCode::refused;
  }
  return sdk::ErrorCode::internal;
}

std::string statement_first_line(std::string_view sql) {
  const std::size_t start = sql.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) {
    return {};
  }
  sql.remove_prefix(start);
  const std::size_t end = sql.find_first_of("\r\n");
  std::string line(sql.substr(0, end));
  const bool shortened = line.size() > kStatementExcerptLength || end != std::string_view::npos;
  if (line.size() > kStatementExcerptLength) {
    line.resize(kStatementExcerptLength);
  }
  return shortened ? line + " ..." : line;
}

void throw_statement_error(pg_conn* connection, pg_result* result, std::string_view sql) {
  std::string sqlstate = field(result, PG_DIAG_SQLSTATE);
  std::string primary = field(result, PG_DIAG_MESSAGE_PRIMARY);
  const std::string detail = field(result, PG_DIAG_MESSAGE_DETAIL);
  const std::string server_hint = field(result, PG_DIAG_MESSAGE_HINT);
  const bool connection_lost = connection != nullptr && PQstatus(connection) == CONNECTION_BAD;
  if (primary.empty()) {
    primary = trim_trailing_newlines(result != nullptr ? PQresultErrorMessage(result) : "");
  }
  if (primary.empty() && connection != nullptr) {
    primary = trim_trailing_newlines(PQerrorMessage(connection));
  }
  if (primary.empty()) {
    primary = "no message from the server";
  }
  sdk::ErrorCode code = error_code_for_sqlstate(sqlstate);
  if (connection_lost) {
    code = sdk::ErrorCode::refused;
  }
  std::string message = "PostgreSQL: " + primary;
  if (!detail.empty()) {
    message += " (" + detail + ")";
  }
  message += sqlstate.empty() ? " [no SQLSTATE" : " " + std::string(kSqlstateMarker) + sqlstate;
  message += connection_lost ? ", " + std::string(kConnectionLostMarker) : "]";
  const std::string statement = statement_first_line(sql);
  if (!statement.empty()) {
    message += " in statement: " + statement;
  }
  throw sdk::Error(code, message, hint_for(code, sqlstate, server_hint));
}

[[noreturn]] void throw_transfer_error(pg_conn* connection, std::string_view action,
                                       std::string_view sql) {
  std::string message =
      std::string(action) + " failed: " + trim_trailing_newlines(PQerrorMessage(connection));
  if (PQstatus(connection) == CONNECTION_BAD) {
    message += " [" + std::string(kConnectionLostMarker);
  }
  message += " in statement: " + statement_first_line(sql);
  throw sdk::Error(sdk::ErrorCode::refused, message,
                   "check that the server is still running (`stella db status`)");
}

bool reports_sqlstate(const sdk::Error& error, std::string_view sqlstate) {
  return std::string_view(error.what())
             .find(std::string(kSqlstateMarker) + std::string(sqlstate)) != std::string_view::npos;
}

bool reports_lost_connection(const sdk::Error& error) {
  const std::string_view what = error.what();
  return what.find(kConnectionLostMarker) != std::string_view::npos ||
         reports_sqlstate(error, sqlstate::kAdminShutdown) ||
         reports_sqlstate(error, sqlstate::kCrashShutdown);
}

}  // namespace stella::host
