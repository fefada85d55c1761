// Reading the chain (events and tombstones merged by id) through a cursor and walking it.
#include "stella/host/audit/audit_chain_verifier.hpp"

#include <optional>
#include <string>

#include "audit/audit_chain_walker.hpp"
#include "audit/cursor_stream.hpp"
#include "audit/read_snapshot.hpp"
#include "stella/host/audit/audit_event_rules.hpp"
#include "stella/host/audit/audit_hash.hpp"
#include "stella/host/audit/state_schema.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Both tables in one id order. For a tombstone, whether the event was past its retention when it
/// was pruned is decided by the server with the same UTC calendar arithmetic prune uses.
std::string chain_query() {
  const std::string years = std::to_string(kVerificationRetentionYears);
  return "SELECT id, false AS tombstone, " + audit_occurred_at_sql("occurred_at") +
         ", event_type, operator, retention, data::text, prev_hash, hash, "
         "NULL::text AS pruned_at, NULL::boolean AS past_retention "
         "FROM stella.audit_events "
         "UNION ALL "
         "SELECT id, true, " +
         audit_occurred_at_sql("occurred_at") +
         ", event_type, NULL, retention, NULL, prev_hash, hash, " +
         audit_occurred_at_sql("pruned_at") +
         ", occurred_at < ((pruned_at AT TIME ZONE 'UTC') - make_interval(years => " + years +
         ")) AT TIME ZONE 'UTC' "
         "FROM stella.audit_pruned "
         "ORDER BY id";
}

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

ChainPosition read_position(const PgResult& batch, int row) {
  ChainPosition position;
  position.id = batch.get_int64(row, kId);
  position.tombstone = batch.get(row, kTombstone) == "t";
  position.occurred_at = std::string(batch.get(row, kOccurredAt));
  position.event_type = std::string(batch.get(row, kEventType));
  position.operator_name = batch.get_optional(row, kOperator).value_or("");
  position.retention = std::string(batch.get(row, kRetention));
  position.data = batch.get_optional(row, kData).value_or("");
  position.prev_hash = std::string(batch.get(row, kPrevHash));
  position.hash = std::string(batch.get(row, kHash));
  position.pruned_at = batch.get_optional(row, kPrunedAt).value_or("");
  position.was_past_retention = batch.get_optional(row, kPastRetention).value_or("f") == "t";
  return position;
}

/// Inside a caller's READ COMMITTED transaction every statement sees newer commits; holding the
/// head FOR SHARE keeps appenders out until that transaction ends, so the events read afterwards
/// end exactly at the head read here.
void hold_back_appenders_if_needed(PgConnection& connection) {
  const PgResult isolation = connection.exec(
      "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')");
  if (isolation.get(0, 0) != "read committed") {
    return;
  }
  if (isolation.get(0, 1) == "on") {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "verify_audit_chain was called in a READ ONLY READ COMMITTED transaction, "
                     "which can neither see one snapshot nor lock the chain head",
                     "call it without an open transaction, or in a REPEATABLE READ one");
  }
  connection.exec("SELECT 1 FROM stella.audit_chain_head FOR SHARE");
}

}  // namespace

AuditChainReport verify_audit_chain(PgConnection& connection) {
  ReadSnapshot snapshot(connection);
  require_audit_trail(connection);
  if (!snapshot.owned()) {
    hold_back_appenders_if_needed(connection);
  }
  std::optional<std::int64_t> head_id;
  std::string head_hash;
  const PgResult head = connection.exec("SELECT last_id, last_hash FROM stella.audit_chain_head");
  if (head.rows() == 1) {
    head_id = head.get_int64(0, 0);
    head_hash = std::string(head.get(0, 1));
  }

  AuditChainWalker walker;
  stream_rows(connection, "stella_audit_chain", chain_query(), {},
              [&walker](const PgResult& batch, int row) {
                return walker.visit(read_position(batch, row));
              });
  walker.finish(head_id, head_hash);
  return walker.report();
}

}  // namespace stella::host
