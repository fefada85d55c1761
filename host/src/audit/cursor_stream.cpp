#include "audit/cursor_stream.hpp"

#include <string>

#include "stella/sdk/error.hpp"

namespace stella::host {

void stream_rows(PgConnection& connection, std::string_view cursor_name,
                 std::string_view select_sql, const std::vector<sdk::SqlValue>& params,
                 const std::function<bool(const PgResult& batch, int row)>& on_row) {
  if (!connection.in_transaction()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "stream_rows needs an open transaction: a server-side cursor lives in one");
  }
  const std::string name(cursor_name);
  connection.exec("DECLARE " + name + " NO SCROLL CURSOR FOR " + std::string(select_sql), params);
  const std::string fetch = "FETCH FORWARD " + std::to_string(kCursorBatchRows) + " FROM " + name;
  bool more = true;
  while (more) {
    const PgResult batch = connection.exec(fetch);
    for (int row = 0; row < batch.rows() && more; ++row) {
      more = on_row(batch, row);
    }
    if (batch.rows() < kCursorBatchRows) {
      more = false;
    }
  }
  connection.exec("CLOSE " + name);
}

}  // namespace stella::host
