// Reading the chain (events and tombstones merged by id) through a cursor and walking it.
#include "stella/host/audit/audit_chain_verifier.hpp"

#include <optional>
#include <string>

#include "audit/audit_chain_walker.hpp"
#include "audit/chain_positions.hpp"
#include "audit/cursor_stream.hpp"
#include "audit/read_snapshot.hpp"
#include "stella/host/audit/audit_event_rules.hpp"
#include "stella/host/audit/audit_hash.hpp"
#include "stella/host/audit/state_schema.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

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
  stream_rows(connection, "stella_audit_chain", chain_positions_sql("true"), {},
              [&walker](const PgResult& batch, int row) {
                return walker.visit(read_chain_position(batch, row));
              });
  walker.finish(head_id, head_hash);
  return walker.report();
}

void check_audit_anchor(PgConnection& connection, AuditChainReport& report,
                        const std::string& anchored_hash) {
  if (!report.intact()) {
    return;
  }
  const PgResult found = connection.exec(
      "SELECT id FROM stella.audit_events WHERE hash = $1 "
      "UNION ALL SELECT id FROM stella.audit_pruned WHERE hash = $1",
      {anchored_hash});
  if (found.rows() > 0) {
    return;
  }
  AuditChainProblem problem;
  problem.kind = AuditBreak::anchor_missing;
  problem.event_id = report.head_id;
  problem.expected = "an event with hash " + anchored_hash + " (the head anchored outside)";
  problem.found = "no event or tombstone with that hash; the chain ends at event " +
                  std::to_string(report.head_id) + " " + report.head_hash;
  problem.message =
      "no event or tombstone of the chain has the anchored head hash " + anchored_hash +
      ": the chain verifies on its own, so events up to that head were removed or rewritten and "
      "every later hash recomputed (or the anchor is from another store)";
  report.problem = std::move(problem);
}

}  // namespace stella::host
