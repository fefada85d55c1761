// Reading events back in id order, filtered by time and type.
#include "stella/host/audit/audit_event_list.hpp"

#include <string>

#include "audit/cursor_stream.hpp"
#include "audit/read_snapshot.hpp"
#include "stella/host/audit/audit_hash.hpp"
#include "stella/host/audit/state_schema.hpp"

namespace stella::host {
namespace {

std::string list_query(bool limited) {
  const std::string select =
      "SELECT id, " + audit_occurred_at_sql("occurred_at") +
      " AS occurred_text, event_type, operator, retention, data::text AS data_text, prev_hash, "
      "hash FROM stella.audit_events "
      "WHERE ($1::timestamptz IS NULL OR occurred_at >= $1::timestamptz) "
      "AND ($2::text IS NULL OR event_type = $2::text) ";
  if (!limited) {
    return select + "ORDER BY id";
  }
  // The most recent N, still delivered oldest first.
  return "SELECT * FROM (" + select + "ORDER BY id DESC LIMIT $3::bigint) AS recent ORDER BY id";
}

}  // namespace

std::int64_t for_each_audit_event(PgConnection& connection, const AuditEventFilter& filter,
                                  const std::function<void(const AuditEvent&)>& on_event) {
  ReadSnapshot snapshot(connection);
  require_audit_trail(connection);
  std::vector<sdk::SqlValue> params = {filter.since, filter.event_type};
  if (filter.limit) {
    params.push_back(std::to_string(*filter.limit));
  }
  std::int64_t delivered = 0;
  stream_rows(connection, "stella_audit_list", list_query(filter.limit.has_value()), params,
              [&](const PgResult& batch, int row) {
                AuditEvent event;
                event.id = batch.get_int64(row, 0);
                event.occurred_at = std::string(batch.get(row, 1));
                event.event_type = std::string(batch.get(row, 2));
                event.operator_name = std::string(batch.get(row, 3));
                event.retention = std::string(batch.get(row, 4));
                event.data = std::string(batch.get(row, 5));
                event.prev_hash = std::string(batch.get(row, 6));
                event.hash = std::string(batch.get(row, 7));
                on_event(event);
                ++delivered;
                return true;
              });
  return delivered;
}

}  // namespace stella::host
