// PgConnection's COPY paths: FROM STDIN (bulk load) and TO STDOUT (streaming reads).
#include <libpq-fe.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "stella/host/store/pg_connection.hpp"
#include "store/pg_error.hpp"

namespace stella::host {
namespace {

/// PQputCopyData takes an int length; larger buffers go in pieces of this size.
constexpr std::size_t kCopyChunkBytes = std::size_t{64} << 20;
/// PQgetCopyData returns a row length, -1 when the COPY is complete, or this on failure.
constexpr int kCopyFailed = -2;
constexpr int kBlocking = 0;
/// Room for PQcancel's error text; the cancel is best effort, so the text is not reported.
constexpr std::size_t kCancelErrorBufferSize = 256;

struct ResultDeleter {
  void operator()(pg_result* result) const { PQclear(result); }
};
using OwnedResult = std::unique_ptr<pg_result, ResultDeleter>;

/// Reads every result left after a COPY; throws the first failure, else returns the final one.
OwnedResult finish_copy_results(pg_conn* connection, std::string_view sql) {
  OwnedResult failure;
  OwnedResult success;
  while (pg_result* raw = PQgetResult(connection)) {
    OwnedResult result(raw);
    if (PQresultStatus(raw) == PGRES_COMMAND_OK) {
      success = std::move(result);
    } else if (!failure) {
      failure = std::move(result);
    }
  }
  if (failure) {
    throw_statement_error(connection, failure.get(), sql);
  }
  if (!success) {
    throw_statement_error(connection, nullptr, sql);
  }
  return success;
}

/// The row count of a finished COPY ("COPY 42").
std::int64_t rows_of(OwnedResult result) {
  return PgResult(result.release()).affected_rows();
}

}  // namespace

void PgConnection::copy_in_start(std::string_view copy_sql) {
  const std::string statement(copy_sql);
  OwnedResult result(PQexec(conn_, statement.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status == PGRES_COPY_IN) {
    copy_in_sql_ = statement;
    return;
  }
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "copy_in_start needs a COPY ... FROM STDIN statement; got: " +
                         statement_first_line(copy_sql));
  }
  throw_statement_error(conn_, result.get(), copy_sql);
}

void PgConnection::copy_in_put(std::string_view data) {
  while (!data.empty()) {
    const std::size_t piece = std::min(data.size(), kCopyChunkBytes);
    if (PQputCopyData(conn_, data.data(), static_cast<int>(piece)) != 1) {
      throw_transfer_error(conn_, "sending COPY data", copy_in_sql_);
    }
    data.remove_prefix(piece);
  }
}

std::int64_t PgConnection::copy_in_finish() {
  const std::string statement = std::exchange(copy_in_sql_, {});
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    throw_transfer_error(conn_, "ending COPY", statement);
  }
  return rows_of(finish_copy_results(conn_, statement));
}

void PgConnection::copy_in_abort(std::string_view reason) noexcept {
  const std::string why(reason);
  copy_in_sql_.clear();
  if (PQputCopyEnd(conn_, why.c_str()) == 1) {
    // The server answers with the error that aborts the COPY; read it so the connection is idle.
    while (pg_result* result = PQgetResult(conn_)) {
      PQclear(result);
    }
  }
}

std::int64_t PgConnection::copy_out(std::string_view copy_sql,
                                    const std::function<void(std::string_view row)>& on_row) {
  const std::string statement(copy_sql);
  {
    OwnedResult result(PQexec(conn_, statement.c_str()));
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      throw sdk::Error(
          sdk::ErrorCode::internal,
          "copy_out needs a COPY ... TO STDOUT statement; got: " + statement_first_line(copy_sql));
    }
    if (status != PGRES_COPY_OUT) {
      throw_statement_error(conn_, result.get(), copy_sql);
    }
  }
  int length = 0;
  char* buffer = nullptr;
  while ((length = PQgetCopyData(conn_, &buffer, kBlocking)) > 0) {
    std::unique_ptr<char, decltype(&PQfreemem)> row(buffer, &PQfreemem);
    try {
      on_row(std::string_view(row.get(), static_cast<std::size_t>(length)));
    } catch (...) {
      // Cancel the rest of the COPY and drain what is already on its way, so the connection can
      // run the caller's ROLLBACK.
      if (PGcancel* cancel = PQgetCancel(conn_)) {
        char error_buffer[kCancelErrorBufferSize];
        PQcancel(cancel, error_buffer, sizeof error_buffer);
        PQfreeCancel(cancel);
      }
      row.reset();
      while (PQgetCopyData(conn_, &buffer, kBlocking) > 0) {
        PQfreemem(buffer);
      }
      while (pg_result* result = PQgetResult(conn_)) {
        PQclear(result);
      }
      throw;
    }
  }
  if (length == kCopyFailed) {
    throw_transfer_error(conn_, "reading COPY data", copy_sql);
  }
  return rows_of(finish_copy_results(conn_, copy_sql));
}

}  // namespace stella::host
