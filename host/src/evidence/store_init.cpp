// Creating a store: every embedded SQL file of the version, the state schema, one audit event,
// one transaction.
#include "stella/host/evidence/store_init.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "stella/host/audit/audit_log.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/resources.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Serialises concurrent `init` calls on one database, so that two of them cannot both find no
/// store and both try to create it ("stella" + "init").
constexpr long long kInitLockKey = 0x7374656c6c610101;

std::string version_list() {
  std::string text;
  for (const auto& version : available_schema_versions()) {
    text += (text.empty() ? "" : ", ") + version;
  }
  return text;
}

std::string init_event_data(const std::string& version, const std::string& database) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("schema_version");
  writer.String(version);
  writer.Key("database");
  writer.String(database);
  writer.EndObject();
  return buffer.GetString();
}

/// The version's SQL with its CREATE SCHEMA evidence made to accept the schema already there.
std::string use_the_prepared_schema(std::string sql) {
  static constexpr std::string_view kCreate = "CREATE SCHEMA evidence;";
  if (const std::size_t at = sql.find(kCreate); at != std::string::npos) {
    sql.replace(at, kCreate.size(), "CREATE SCHEMA IF NOT EXISTS evidence;");
  }
  return sql;
}

}  // namespace

InitOutcome init_store(PgConnection& connection, const std::string& schema_version,
                       const std::string& operator_name) {
  PgTransaction transaction(connection);
  InitOutcome outcome = init_store_in_transaction(connection, schema_version, operator_name);
  if (outcome.created) {
    transaction.commit();
  }
  // Otherwise the transaction rolls back: nothing was written.
  return outcome;
}

InitOutcome init_store_in_transaction(PgConnection& connection, const std::string& schema_version,
                                      const std::string& operator_name) {
  if (!connection.in_transaction()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "init_store_in_transaction called outside a transaction",
                     "this is a bug in stella");
  }
  const std::vector<std::string> files = schema_sql_files(schema_version);
  if (files.empty()) {
    throw sdk::Error(
        sdk::ErrorCode::invalid_input,
        "unknown schema version '" + schema_version + "'; available: " + version_list(),
        "run `stella evidence init --schema-version " + std::string(kDefaultSchemaVersion) +
            "` (or another available version)");
  }
  InitOutcome outcome;
  outcome.database = database_name(connection);
  connection.exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(kInitLockKey)});
  if (const auto existing = detect_store_version(connection)) {
    if (*existing != schema_version) {
      throw sdk::Error(
          sdk::ErrorCode::refused,
          "database " + outcome.database + " already holds an evidence store at schema " +
              *existing + "; asked to create one at schema " + schema_version + "; nothing changed",
          "to change the store's version, migrate it: `stella evidence migrate "
          "--from-version " +
              *existing + " --to-version " + schema_version + " --dry-run`");
    }
    outcome.schema_version = *existing;
    return outcome;
  }
  // detect_store_version found no store: an existing schema evidence is an empty one the role
  // owns, prepared by a DBA with its owner and grants, which init keeps.
  const bool prepared_schema = evidence_schema_exists(connection);
  for (const std::string& file : files) {
    std::string sql(*find_resource(file));
    if (prepared_schema) {
      sql = use_the_prepared_schema(sql);
    }
    try {
      connection.execute_script(sql);
    } catch (const sdk::Error& e) {
      throw sdk::Error(e.code(), "applying " + file + " failed: " + e.what(),
                       "nothing was created (the transaction was rolled back)");
    }
  }
  ensure_state_schema(connection);
  append_audit_event(connection, audit_type::kStoreInit, operator_name,
                     init_event_data(schema_version, outcome.database));
  outcome.created = true;
  outcome.schema_version = schema_version;
  return outcome;
}

}  // namespace stella::host
