// How a PostgreSQL failure becomes an sdk::Error: the code from the SQLSTATE class, and a message
// with the server's words, the SQLSTATE and the statement that failed.
#pragma once

#include <string>
#include <string_view>

#include "stella/sdk/error.hpp"

struct pg_conn;
struct pg_result;

namespace stella::host {

/// refused for conflicts a retry or a wait may resolve (class 40 serialization/deadlock, 55P03
/// lock_not_available, 57014 query_canceled) and for lost connections (class 08, 57P01-57P03);
/// internal for everything else.
sdk::ErrorCode error_code_for_sqlstate(std::string_view sqlstate);

/// The first line of a statement, trimmed and shortened, to name it in a message.
std::string statement_first_line(std::string_view sql);

/// Throws the error `result` (may be null) carries on `connection`, naming `sql`.
[[noreturn]] void throw_statement_error(pg_conn* connection, pg_result* result,
                                        std::string_view sql);

/// Throws the failure of a COPY transfer on `connection` (`action`: "sending COPY data"), with
/// libpq's words and, when the session is gone, "[connection lost]" (reports_lost_connection).
[[noreturn]] void throw_transfer_error(pg_conn* connection, std::string_view action,
                                       std::string_view sql);

}  // namespace stella::host
