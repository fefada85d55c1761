// Database access the host lends to plugin code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stella/sdk/abi.hpp"

STELLA_SDK_NAMESPACE_BEGIN

/// One SQL parameter or result value in PostgreSQL text format; nullopt is SQL NULL.
/// bytea values use PostgreSQL's hex text form (\x0a1b...).
using SqlValue = std::optional<std::string>;

/// The rows a query returned, copied out of the driver: plain data, safe to keep.
struct QueryResult {
  /// Column names in result order.
  std::vector<std::string> columns;
  /// Rows, each with one value per column.
  std::vector<std::vector<SqlValue>> rows;
  /// Rows affected, for INSERT/UPDATE/DELETE; 0 for other statements.
  std::int64_t affected_rows = 0;
};

/// A connection inside the transaction the host has open for the current step or batch.
///
/// Ownership: owned by the host; a plugin uses the reference it is handed and never keeps it past
/// the call it was given in. Thread-safety: not thread-safe; use it from the calling thread only.
/// Failure: every method throws stella::sdk::Error (code internal or refused) carrying the server's
/// message; the host then aborts the transaction. Do not issue BEGIN/COMMIT/ROLLBACK: the host owns
/// the transaction boundaries (use StepContext::commit_batch for batch boundaries).
class Database {
 public:
  virtual ~Database() = default;

  /// Runs one statement with $1..$n parameters and returns its rows.
  virtual QueryResult query(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;

  /// Runs one statement with $1..$n parameters and returns the number of rows it affected.
  virtual std::int64_t execute(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;

  /// Runs a script of several statements with no parameters (DDL files). Returns nothing.
  virtual void execute_script(std::string_view sql) = 0;
};

STELLA_SDK_NAMESPACE_END
