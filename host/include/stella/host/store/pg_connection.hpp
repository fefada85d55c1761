// A libpq connection: parameterised statements, transactions, COPY in and out. Implements the
// SDK's Database so that plugin code runs inside the host's transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stella/sdk/database.hpp"
#include "stella/sdk/error.hpp"

struct pg_conn;
struct pg_result;

namespace stella::host {

/// A result set owned by the caller (wraps PGresult). Move-only.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* result);
  PgResult(PgResult&&) noexcept;
  PgResult& operator=(PgResult&&) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  int columns() const;
  std::string column_name(int column) const;
  bool is_null(int row, int column) const;
  /// The value as text (or raw bytes for binary results); valid while this PgResult lives.
  std::string_view get(int row, int column) const;
  /// The value as text, or nullopt for NULL.
  std::optional<std::string> get_optional(int row, int column) const;
  std::int64_t get_int64(int row, int column) const;
  /// Rows affected by INSERT/UPDATE/DELETE/COPY.
  std::int64_t affected_rows() const;

 private:
  pg_result* result_ = nullptr;
};

/// One statement parameter. `binary` sends the bytes as-is (bytea without hex encoding).
struct PgParam {
  std::optional<std::string> value;
  bool binary = false;
};

/// A connection to PostgreSQL.
///
/// Ownership: move-only; closes on destruction. Thread-safety: one thread at a time (open one
/// connection per worker). Failure: every method throws sdk::Error — code refused for connection
/// failures (with a hint on what to check) and for lock/serialization conflicts, internal for
/// other server errors — carrying the server's message, SQLSTATE and the statement's first line.
class PgConnection final : public sdk::Database {
 public:
  /// Connects with a libpq connection string or URI.
  static std::unique_ptr<PgConnection> connect(const std::string& conninfo);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  /// Runs one statement with text parameters.
  PgResult exec(std::string_view sql, const std::vector<sdk::SqlValue>& params = {});
  /// Runs one statement with per-parameter text/binary choice; `binary_results` asks for binary
  /// result columns.
  PgResult exec_params(std::string_view sql, const std::vector<PgParam>& params,
                       bool binary_results = false);

  void begin();
  void commit();
  void rollback();
  /// True when a transaction block is open (including a failed one).
  bool in_transaction() const;

  /// COPY ... FROM STDIN: start, put data (any chunking), finish. finish throws on server error
  /// and returns the number of rows the server stored.
  void copy_in_start(std::string_view copy_sql);
  void copy_in_put(std::string_view data);
  std::int64_t copy_in_finish();
  /// Aborts a COPY FROM STDIN in progress with `reason` (the server rolls the COPY back). Never
  /// throws: it is meant for error paths; the connection stays usable when the server is reachable.
  void copy_in_abort(std::string_view reason) noexcept;

  /// COPY ... TO STDOUT: calls `on_row` with each row's data as the server sends it (one call per
  /// row for text and binary formats). Returns the number of rows. In binary format the 19-byte
  /// file header arrives at the start of the first call and the 2-byte trailer (int16 -1) as a
  /// call of its own at the end. When `on_row` throws, the COPY is cancelled, the connection is
  /// drained so it stays usable, and the exception propagates.
  std::int64_t copy_out(std::string_view copy_sql,
                        const std::function<void(std::string_view row)>& on_row);

  /// `name` quoted as an SQL identifier (my db -> "my db"), for names that cannot be
  /// statement parameters (CREATE DATABASE, schema names).
  std::string quote_identifier(std::string_view name) const;

  /// The server's backend pid (to name a lock holder).
  int backend_pid() const;
  /// The libpq handle, for what this class does not wrap.
  pg_conn* raw() { return conn_; }

  // sdk::Database
  sdk::QueryResult query(std::string_view sql, const std::vector<sdk::SqlValue>& params) override;
  std::int64_t execute(std::string_view sql, const std::vector<sdk::SqlValue>& params) override;
  void execute_script(std::string_view sql) override;

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  /// Throws unless `result` (which this takes ownership of) succeeded; returns it otherwise.
  PgResult checked(pg_result* result, std::string_view sql);
  pg_conn* conn_ = nullptr;
  /// The COPY FROM STDIN in progress, to name it in errors.
  std::string copy_in_sql_;
};

/// Opens and closes a transaction: commits only when commit() is called; rolls back otherwise.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& connection);
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  void commit();

 private:
  PgConnection& connection_;
  bool done_ = false;
};

/// True when `error` is PgConnection's report of a server error with SQLSTATE `sqlstate` ("23505"
/// for unique_violation): the SQLSTATE travels in the message, as "[SQLSTATE 23505".
bool reports_sqlstate(const sdk::Error& error, std::string_view sqlstate);

/// True when `error` is PgConnection's report of a statement whose session was lost: the server
/// crashed, restarted or was shut down, or an administrator terminated the session. What the
/// statement began is rolled back by the server; session state (advisory locks) is gone.
bool reports_lost_connection(const sdk::Error& error);

/// A PostgreSQL text[] literal ({"a","b"}) of `items`, each quoted and escaped, for one parameter
/// that stands for many values (`= ANY ($1::text[])`).
std::string text_array_literal(std::span<const std::string> items);

}  // namespace stella::host
