// Reading a large result a batch at a time through a server-side cursor, so memory stays flat.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Rows fetched per round trip: large enough to amortise the round trip, small enough that a
/// batch of audit events (data up to a few KiB each) stays a few MiB.
inline constexpr int kCursorBatchRows = 1000;

/// Calls `on_row(batch, row)` for each row of `select_sql` in order, until it returns false.
/// Needs an open transaction (a cursor lives inside one); closes the cursor before returning.
/// `cursor_name` must be a plain SQL identifier unique among the transaction's open cursors.
void stream_rows(PgConnection& connection, std::string_view cursor_name,
                 std::string_view select_sql, const std::vector<sdk::SqlValue>& params,
                 const std::function<bool(const PgResult& batch, int row)>& on_row);

}  // namespace stella::host
