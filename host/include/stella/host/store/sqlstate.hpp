// The PostgreSQL error codes (SQLSTATE) stella tells apart, by name, for reports_sqlstate() and
// the error mapping of pg_error.cpp: one place instead of a literal in each caller.
#pragma once

#include <string_view>

namespace stella::host::sqlstate {

/// A table, column or function the statement names does not exist.
inline constexpr std::string_view kUndefinedTable = "42P01";
inline constexpr std::string_view kUndefinedColumn = "42703";
inline constexpr std::string_view kUndefinedFunction = "42883";
inline constexpr std::string_view kForeignKeyViolation = "23503";
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";
/// A lock taken NOWAIT that another session holds, or a lock_timeout that ran out.
inline constexpr std::string_view kLockNotAvailable = "55P03";
inline constexpr std::string_view kQueryCanceled = "57014";
/// The server's resources ran out: no space left for its files, no memory, no connection slot.
inline constexpr std::string_view kDiskFull = "53100";
inline constexpr std::string_view kOutOfMemory = "53200";
inline constexpr std::string_view kTooManyConnections = "53300";
inline constexpr std::string_view kAdminShutdown = "57P01";
inline constexpr std::string_view kCrashShutdown = "57P02";
inline constexpr std::string_view kCannotConnectNow = "57P03";
/// The role lacks a privilege the statement needs (CREATE on a schema, INSERT on a table, ...).
inline constexpr std::string_view kInsufficientPrivilege = "42501";
/// A write in a read-only transaction: a hot standby, or default_transaction_read_only = on.
inline constexpr std::string_view kReadOnlySqlTransaction = "25006";

}  // namespace stella::host::sqlstate
