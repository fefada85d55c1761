// PgConnection: connecting, statements with parameters, transactions, and the SDK's Database.
#include "stella/host/store/pg_connection.hpp"

#include <libpq-fe.h>

#include "store/connection_failure_hint.hpp"
#include "store/conninfo_text.hpp"
#include "store/pg_error.hpp"
#include "store/session_settings.hpp"

namespace stella::host {
namespace {

constexpr const char* kApplicationName = "stella";
/// Result format codes of the libpq protocol.
constexpr int kTextFormat = 0;
constexpr int kBinaryFormat = 1;

/// NOTICEs (e.g. "table does not exist, skipping") are not errors and would clutter stderr.
void drop_notice(void* /*arg*/, const char* /*message*/) {}

/// libpq's multi-line message on one line.
std::string one_line(std::string text) {
  std::string line;
  bool space_pending = false;
  for (const char c : text) {
    if (c == '\n' || c == '\t' || c == '\r') {
      space_pending = !line.empty();
      continue;
    }
    if (space_pending && c != ' ') {
      line += ' ';
    }
    space_pending = false;
    line += c;
  }
  return line;
}

std::string describe_target(pg_conn* connection) {
  const auto text = [](const char* value) { return value == nullptr ? std::string() : value; };
  std::string target;
  const auto add = [&target](const std::string& keyword, const std::string& value) {
    if (!value.empty()) {
      target += (target.empty() ? "" : " ") + keyword + "=" + quote_conninfo_value(value);
    }
  };
  add("host", text(PQhost(connection)));
  add("port", text(PQport(connection)));
  add("dbname", text(PQdb(connection)));
  add("user", text(PQuser(connection)));
  return target;
}

}  // namespace

std::unique_ptr<PgConnection> PgConnection::connect(const std::string& conninfo) {
  parse_conninfo(conninfo);  // a malformed string is bad input, not an unreachable server
  const char* keywords[] = {"dbname", "fallback_application_name", nullptr};
  const char* values[] = {conninfo.c_str(), kApplicationName, nullptr};
  constexpr int kExpandDbname = 1;
  pg_conn* raw_connection = PQconnectdbParams(keywords, values, kExpandDbname);
  if (raw_connection == nullptr) {
    throw sdk::Error(sdk::ErrorCode::internal, "libpq could not allocate a connection");
  }
  if (PQstatus(raw_connection) != CONNECTION_OK) {
    const std::string target = describe_target(raw_connection);
    const std::string why = one_line(PQerrorMessage(raw_connection));
    const std::string hint =
        connection_failure_hint(why, PQdb(raw_connection) ? PQdb(raw_connection) : "",
                                PQuser(raw_connection) ? PQuser(raw_connection) : "");
    PQfinish(raw_connection);
    throw sdk::Error(sdk::ErrorCode::refused,
                     "cannot connect to PostgreSQL at " + target + ": " + why, hint);
  }
  PQsetNoticeProcessor(raw_connection, drop_notice, nullptr);
  std::unique_ptr<PgConnection> connection(new PgConnection(raw_connection));
  connection->execute_script(session_settings_script(PQserverVersion(raw_connection)));
  return connection;
}

PgConnection::~PgConnection() {
  if (conn_ != nullptr) {
    PQfinish(conn_);
  }
}

PgResult PgConnection::checked(pg_result* raw_result, std::string_view sql) {
  PgResult result(raw_result);
  switch (PQresultStatus(raw_result)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
      return result;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
      throw sdk::Error(sdk::ErrorCode::internal,
                       "statement started a COPY, which needs copy_in_start or copy_out: " +
                           statement_first_line(sql));
    default:
      throw_statement_error(conn_, raw_result, sql);
  }
}

PgResult PgConnection::exec(std::string_view sql, const std::vector<sdk::SqlValue>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) {
    values.push_back(param ? param->c_str() : nullptr);
  }
  const std::string statement(sql);
  return checked(PQexecParams(conn_, statement.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, kTextFormat),
                 sql);
}

PgResult PgConnection::exec_params(std::string_view sql, const std::vector<PgParam>& params,
                                   bool binary_results) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const auto& param : params) {
    values.push_back(param.value ? param.value->data() : nullptr);
    lengths.push_back(param.value ? static_cast<int>(param.value->size()) : 0);
    formats.push_back(param.binary ? kBinaryFormat : kTextFormat);
  }
  const std::string statement(sql);
  return checked(PQexecParams(conn_, statement.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), lengths.data(), formats.data(),
                              binary_results ? kBinaryFormat : kTextFormat),
                 sql);
}

void PgConnection::begin() {
  exec("BEGIN");
}

void PgConnection::commit() {
  // COMMIT of a failed transaction "succeeds" as a ROLLBACK; a caller asking to commit must learn
  // that nothing was kept.
  if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    rollback();
    throw sdk::Error(sdk::ErrorCode::internal,
                     "cannot commit: a statement of this transaction failed earlier, so PostgreSQL "
                     "rolled the whole transaction back and nothing was committed",
                     "look for the earlier error; the store is as it was before the transaction");
  }
  exec("COMMIT");
}

void PgConnection::rollback() {
  if (in_transaction()) {
    exec("ROLLBACK");
  }
}

bool PgConnection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

int PgConnection::backend_pid() const {
  return PQbackendPID(conn_);
}

std::string PgConnection::quote_identifier(std::string_view name) const {
  char* quoted = PQescapeIdentifier(conn_, name.data(), name.size());
  if (quoted == nullptr) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "cannot quote '" + std::string(name) +
                         "' as an SQL identifier: " + one_line(PQerrorMessage(conn_)));
  }
  std::string result(quoted);
  PQfreemem(quoted);
  return result;
}

sdk::QueryResult PgConnection::query(std::string_view sql,
                                     const std::vector<sdk::SqlValue>& params) {
  const PgResult result = exec(sql, params);
  sdk::QueryResult rows;
  for (int column = 0; column < result.columns(); ++column) {
    rows.columns.push_back(result.column_name(column));
  }
  rows.rows.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    std::vector<sdk::SqlValue> values;
    values.reserve(rows.columns.size());
    for (int column = 0; column < result.columns(); ++column) {
      values.push_back(result.get_optional(row, column));
    }
    rows.rows.push_back(std::move(values));
  }
  rows.affected_rows = result.affected_rows();
  return rows;
}

std::int64_t PgConnection::execute(std::string_view sql, const std::vector<sdk::SqlValue>& params) {
  return exec(sql, params).affected_rows();
}

void PgConnection::execute_script(std::string_view sql) {
  // PQexec (not PQexecParams) because only the simple query protocol accepts several statements.
  const std::string script(sql);
  checked(PQexec(conn_, script.c_str()), sql);
}

}  // namespace stella::host
