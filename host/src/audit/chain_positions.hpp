// Reading positions of the audit chain (events and tombstones of pruned events, merged by id) as
// the chain walker checks them: shared by the whole-chain verifier and the check of one event.
#pragma once

#include <string>

#include "audit/audit_chain_walker.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Events and tombstones in one id order, restricted by `where` (an SQL condition on `id`, such as
/// "id BETWEEN $1 AND $2", or "true" for the whole chain). For a tombstone, whether the event was
/// past its retention when it was pruned is decided by the server with the same UTC calendar
/// arithmetic prune uses.
std::string chain_positions_sql(const std::string& where);

/// One row of chain_positions_sql.
ChainPosition read_chain_position(const PgResult& rows, int row);

}  // namespace stella::host
