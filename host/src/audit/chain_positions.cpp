#include "audit/chain_positions.hpp"

#include "stella/host/audit/audit_event_rules.hpp"
#include "stella/host/audit/audit_hash.hpp"

namespace stella::host {
namespace {

enum Column : int {
  kId = 0,
  kTombstone,
  kOccurredAt,
  kEventType,
  kOperator,
  kRetention,
  kData,
  kPrevHash,
  kHash,
  kPrunedAt,
  kPastRetention,
};

}  // namespace

std::string chain_positions_sql(const std::string& where) {
  const std::string years = std::to_string(kVerificationRetentionYears);
  return "SELECT id, false AS tombstone, " + audit_occurred_at_sql("occurred_at") +
         ", event_type, operator, retention, data::text, prev_hash, hash, "
         "NULL::text AS pruned_at, NULL::boolean AS past_retention "
         "FROM stella.audit_events WHERE " +
         where +
         " UNION ALL "
         "SELECT id, true, " +
         audit_occurred_at_sql("occurred_at") +
         ", event_type, NULL, retention, NULL, prev_hash, hash, " +
         audit_occurred_at_sql("pruned_at") +
         ", occurred_at < ((pruned_at AT TIME ZONE 'UTC') - make_interval(years => " + years +
         ")) AT TIME ZONE 'UTC' "
         "FROM stella.audit_pruned WHERE " +
         where + " ORDER BY id";
}

ChainPosition read_chain_position(const PgResult& rows, int row) {
  ChainPosition position;
  position.id = rows.get_int64(row, kId);
  position.tombstone = rows.get(row, kTombstone) == "t";
  position.occurred_at = std::string(rows.get(row, kOccurredAt));
  position.event_type = std::string(rows.get(row, kEventType));
  position.operator_name = rows.get_optional(row, kOperator).value_or("");
  position.retention = std::string(rows.get(row, kRetention));
  position.data = rows.get_optional(row, kData).value_or("");
  position.prev_hash = std::string(rows.get(row, kPrevHash));
  position.hash = std::string(rows.get(row, kHash));
  position.pruned_at = rows.get_optional(row, kPrunedAt).value_or("");
  position.was_past_retention = rows.get_optional(row, kPastRetention).value_or("f") == "t";
  return position;
}

}  // namespace stella::host
