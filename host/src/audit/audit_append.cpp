// Appending an event to the chain inside the caller's transaction.
#include <optional>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "stella/host/audit/audit_event_rules.hpp"
#include "stella/host/audit/audit_hash.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

std::int64_t append_event(PgConnection& connection, std::string_view type,
                          std::string_view operator_name, std::string_view data_json,
                          std::optional<std::string_view> occurred_at) {
  const std::string type_text(type);
  if (!connection.in_transaction()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "audit event '" + type_text +
                         "' appended outside a transaction; it must be written in the "
                         "transaction of the change it records, so both commit or neither does",
                     "this is a bug in the code that records the event");
  }
  rapidjson::Document data;
  data.Parse(data_json.data(), data_json.size());
  if (data.HasParseError()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "audit event '" + type_text + "' data is not valid JSON: " +
                         rapidjson::GetParseError_En(data.GetParseError()) + " at offset " +
                         std::to_string(data.GetErrorOffset()),
                     "this is a bug in the code that records the event");
  }
  validate_audit_event(type, operator_name, data);

  // The head row lock serializes appenders: a second session waits here until the first commits
  // or rolls back, then reads the head as that transaction left it.
  const PgResult head =
      connection.exec("SELECT last_id, last_hash FROM stella.audit_chain_head FOR UPDATE");
  if (head.rows() != 1) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the audit chain head (the one row of stella.audit_chain_head) is missing, "
                     "so no event can be chained",
                     "run `stella evidence audit verify`; the audit trail was tampered with");
  }
  const std::int64_t previous_id = head.get_int64(0, 0);
  const std::string previous_hash(head.get(0, 1));

  // The time and the data exactly as PostgreSQL will store and later render them: the hash covers
  // these texts, and `audit verify` reads the same texts back.
  std::vector<sdk::SqlValue> canonical_params = {std::string(data_json), std::nullopt};
  if (occurred_at) {
    canonical_params[1] = std::string(*occurred_at);
  }
  const PgResult canonical = connection.exec(
      "SELECT " + audit_occurred_at_sql("event_time.t") +
          ", $1::jsonb::text FROM (SELECT coalesce($2::timestamptz, clock_timestamp()) AS t) "
          "AS event_time",
      canonical_params);

  AuditEventContent content;
  content.id = previous_id + 1;
  content.occurred_at = std::string(canonical.get(0, 0));
  content.event_type = type_text;
  content.operator_name = std::string(operator_name);
  content.retention = std::string(retention_for_type(type));
  content.data = std::string(canonical.get(0, 1));
  const std::string hash = audit_event_hash(previous_hash, content);

  connection.exec(
      "INSERT INTO stella.audit_events "
      "(id, occurred_at, event_type, operator, data, retention, prev_hash, hash) "
      "VALUES ($1::bigint, $2::timestamptz, $3, $4, $5::jsonb, $6, $7, $8)",
      {std::to_string(content.id), content.occurred_at, content.event_type, content.operator_name,
       content.data, content.retention, previous_hash, hash});
  connection.exec("UPDATE stella.audit_chain_head SET last_id = $1::bigint, last_hash = $2",
                  {std::to_string(content.id), hash});
  return content.id;
}

}  // namespace

std::int64_t append_audit_event(PgConnection& connection, std::string_view type,
                                std::string_view operator_name, std::string_view data_json) {
  return append_event(connection, type, operator_name, data_json, std::nullopt);
}

std::int64_t append_audit_event_at(PgConnection& connection, std::string_view type,
                                   std::string_view operator_name, std::string_view data_json,
                                   std::string_view occurred_at) {
  return append_event(connection, type, operator_name, data_json, occurred_at);
}

}  // namespace stella::host
