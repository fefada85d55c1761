// Questions about the tool's own state schema that verbs ask before using it.
#pragma once

#include <string>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The advisory lock key ensure_state_schema holds (transaction-level) while it applies files.
inline constexpr long long kStateSchemaLockKey = 0x7374656c6c610001;  // "stella" + 1

/// True when the store has the audit trail tables (its state schema was created).
bool audit_trail_exists(PgConnection& connection);

/// Throws sdk::Error(refused) "this store has no audit trail ..." with the hint to run
/// `stella evidence init` when audit_trail_exists is false.
void require_audit_trail(PgConnection& connection);

/// The embedded state files ("sql/state/001_audit.sql", ...) in the order they are applied.
/// Throws sdk::Error(internal) when a file under sql/state/ is not named NNN_name.sql.
std::vector<std::string> embedded_state_files();

}  // namespace stella::host
