// The tool's own schema "stella": applying the embedded sql/state/NNN_*.sql files once each, in
// order, under an advisory lock, and recording them in stella.state_migrations.
#include "stella/host/audit/state_schema.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <string>

#include "audit/sha256_hex.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/resources.hpp"
#include "stella/host/store/sqlstate.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::string_view kStateDirectory = "sql/state/";

/// Created before any state file runs, so the files themselves can be recorded.
constexpr const char* kBootstrapSql = R"SQL(
CREATE SCHEMA IF NOT EXISTS stella;
CREATE TABLE IF NOT EXISTS stella.state_migrations (
  name text PRIMARY KEY,
  sha256 text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  applied_by text NOT NULL DEFAULT current_user
);
)SQL";

std::string file_name(std::string_view resource_path) {
  return std::string(resource_path.substr(kStateDirectory.size()));
}

/// name -> sha256 of the state files the store has applied.
std::map<std::string, std::string> applied_state_files(PgConnection& connection) {
  std::map<std::string, std::string> applied;
  const PgResult rows = connection.exec("SELECT name, sha256 FROM stella.state_migrations");
  for (int row = 0; row < rows.rows(); ++row) {
    applied.emplace(std::string(rows.get(row, 0)), std::string(rows.get(row, 1)));
  }
  return applied;
}

/// The embedded state files the store has not applied yet, in order. Throws when the store has
/// one this stella does not embed, or one with other content.
std::vector<std::string> pending_state_files(const std::map<std::string, std::string>& applied) {
  const std::vector<std::string> files = embedded_state_files();
  for (const auto& entry : applied) {
    // A named reference, not a structured binding: lambdas capture bindings only from C++20
    // compilers that implement P1091 (clang does from 16), and the fuzzing build uses clang 14.
    const std::string& name = entry.first;
    const bool known = std::any_of(files.begin(), files.end(), [&](const std::string& path) {
      return file_name(path) == name;
    });
    if (!known) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "this store's state schema has '" + name +
                           "' applied, which this stella does not know (it knows " +
                           std::to_string(files.size()) + " state files up to '" +
                           (files.empty() ? std::string("none") : file_name(files.back())) +
                           "'): the store was written by a newer stella",
                       "use a stella at least as new as the one that last wrote this store");
    }
  }
  std::vector<std::string> pending;
  for (const auto& path : files) {
    const std::string name = file_name(path);
    const std::string digest = sha256_hex(*find_resource(path));
    const auto existing = applied.find(name);
    if (existing == applied.end()) {
      pending.push_back(path);
    } else if (existing->second != digest) {
      throw sdk::Error(
          sdk::ErrorCode::refused,
          "state file '" + name + "' was applied to this store with SHA-256 " + existing->second +
              ", but this stella embeds a different '" + name + "' (SHA-256 " + digest +
              "): the store's tool schema was made by another build",
          "run the stella build that created this store, or restore the store into a fresh "
          "database with this build");
    }
  }
  return pending;
}

/// Who is connected where, for the refusal of a write; read before anything can fail.
struct Session {
  std::string role;
  std::string database;
  bool state_schema_present = false;
};

Session read_session(PgConnection& connection) {
  const PgResult row = connection.exec(
      "SELECT current_user, current_database(), to_regclass('stella.state_migrations') IS NOT "
      "NULL");
  return Session{std::string(row.get(0, 0)), std::string(row.get(0, 1)), row.get(0, 2) == "t"};
}

void apply_state_files(PgConnection& connection) {
  connection.exec("SELECT pg_advisory_xact_lock($1::bigint)",
                  {std::to_string(kStateSchemaLockKey)});
  connection.execute_script(kBootstrapSql);
  for (const auto& path : pending_state_files(applied_state_files(connection))) {
    const std::string_view sql = *find_resource(path);
    connection.execute_script(sql);
    connection.exec("INSERT INTO stella.state_migrations (name, sha256) VALUES ($1, $2)",
                    {file_name(path), sha256_hex(sql)});
  }
}

/// The refusal of the DDL a missing or older state schema needs, in terms of the role and what
/// it lacks.
sdk::Error state_schema_refusal(const Session& session, const sdk::Error& error) {
  const std::string what = session.state_schema_present
                               ? "bring stella's state schema (schema stella) up to this "
                                 "stella's version"
                               : "create stella's state schema (schema stella)";
  if (reports_sqlstate(error, sqlstate::kReadOnlySqlTransaction)) {
    return sdk::Error(sdk::ErrorCode::refused,
                      "cannot " + what + " in database " + session.database +
                          ": the database is read-only (a hot standby, or "
                          "default_transaction_read_only is on)",
                      "run this stella once against the primary as the store's owner (for "
                      "example `stella evidence config get`); the replica receives the change");
  }
  return sdk::Error(
      sdk::ErrorCode::refused,
      "role '" + session.role + "' may not " + what + " in database " + session.database + " (" +
          error.what() + ")",
      "run this stella once as the role that owns the store (for example `stella evidence config "
      "get`), after which a role with only SELECT and INSERT needs no DDL; or grant '" +
          session.role + "' CREATE on the database and on schema stella");
}

}  // namespace

std::vector<std::string> embedded_state_files() {
  static const std::regex state_file_name(R"(\d{3}_[a-z0-9_]+\.sql)");
  std::vector<std::string> files;
  for (const auto& [path, content] : all_resources()) {
    if (!path.starts_with(kStateDirectory)) {
      continue;
    }
    const std::string name = file_name(path);
    if (!std::regex_match(name, state_file_name)) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "embedded state file 'schemas/" + std::string(path) +
                           "' is not named NNN_name.sql (three digits, '_', lower-case name)",
                       "rename it in schemas/sql/state/ so that its number orders it");
    }
    files.emplace_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

void ensure_state_schema(PgConnection& connection) {
  // Reads first: a store whose state schema is current needs no DDL, so a role without CREATE
  // rights, or a read-only replica, can still run the verbs that only read.
  const Session session = read_session(connection);
  try {
    if (session.state_schema_present &&
        pending_state_files(applied_state_files(connection)).empty()) {
      return;
    }
    if (connection.in_transaction()) {
      apply_state_files(connection);
      return;
    }
    PgTransaction transaction(connection);
    apply_state_files(connection);
    transaction.commit();
  } catch (const sdk::Error& error) {
    if (reports_sqlstate(error, sqlstate::kInsufficientPrivilege) ||
        reports_sqlstate(error, sqlstate::kReadOnlySqlTransaction)) {
      throw state_schema_refusal(session, error);
    }
    throw;
  }
}

bool audit_trail_exists(PgConnection& connection) {
  const PgResult result = connection.exec("SELECT to_regclass('stella.audit_events') IS NOT NULL");
  return result.get(0, 0) == "t";
}

void require_audit_trail(PgConnection& connection) {
  if (!audit_trail_exists(connection)) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "this store has no audit trail: the database has no stella.audit_events "
                     "table, so the store was never initialised",
                     "run `stella evidence init` (with the same --database) first");
  }
}

}  // namespace stella::host
