// Pruning events past their retention: tombstones in, events out, and a record of the prune, in
// one transaction.
#include "stella/host/audit/audit_prune.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "audit/tombstone_ledger.hpp"
#include "stella/host/audit/audit_chain_verifier.hpp"
#include "stella/host/audit/audit_event_rules.hpp"
#include "stella/host/audit/audit_hash.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/state_schema.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// The events a prune removes: "7y" events (verification) older than both the retention cutoff
/// ($2) and --before ($1). Permanent events never match.
constexpr const char* kPrunableCondition =
    "retention = '7y' AND event_type = 'verification' "
    "AND occurred_at < $1::timestamptz AND occurred_at < $2::timestamptz";

std::string prune_record(const AuditPruneResult& result, const std::string& tombstones_sha256) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("count");
  writer.Int64(result.pruned);
  writer.Key("before");
  writer.String(result.before);
  writer.Key("retention_cutoff");
  writer.String(result.retention_cutoff);
  writer.Key("first_id");
  result.first_id ? writer.Int64(*result.first_id) : writer.Null();
  writer.Key("last_id");
  result.last_id ? writer.Int64(*result.last_id) : writer.Null();
  writer.Key("tombstones_sha256");
  writer.String(tombstones_sha256);
  writer.EndObject();
  return buffer.GetString();
}

}  // namespace

AuditPruneResult prune_audit_events(PgConnection& connection, const AuditPruneRequest& request) {
  if (connection.in_transaction()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "prune_audit_events was called inside an open transaction; it runs its own "
                     "so that the tombstones, the deletions and the prune record commit together",
                     "this is a bug in the caller");
  }
  PgTransaction transaction(connection);
  require_audit_trail(connection);
  // Appenders wait from here to the commit, so the chain verified below is the chain pruned.
  connection.exec("SELECT 1 FROM stella.audit_chain_head FOR UPDATE");
  const AuditChainReport chain = verify_audit_chain(connection);
  if (!chain.intact()) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "refusing to prune: the audit chain is broken: " + chain.problem->message,
                     "pruning would remove evidence of the break; run `stella evidence audit "
                     "verify` and restore the audit trail from a backup before pruning");
  }

  AuditPruneResult result;
  result.dry_run = request.dry_run;
  // now() is the transaction's start time: one cutoff for the whole prune, in UTC calendar terms.
  const PgResult times = connection.exec(
      "SELECT " + audit_occurred_at_sql("$1::timestamptz") + ", " +
          audit_occurred_at_sql("((now() AT TIME ZONE 'UTC') - make_interval(years => "
                                "$2::int)) AT TIME ZONE 'UTC'"),
      {request.before, std::to_string(kVerificationRetentionYears)});
  result.before = std::string(times.get(0, 0));
  result.retention_cutoff = std::string(times.get(0, 1));
  const std::vector<sdk::SqlValue> bounds = {result.before, result.retention_cutoff};

  const PgResult doomed = connection.exec(
      std::string("SELECT count(*), min(id), max(id) FROM stella.audit_events WHERE ") +
          kPrunableCondition,
      bounds);
  result.pruned = doomed.get_int64(0, 0);
  if (!doomed.is_null(0, 1)) {
    result.first_id = doomed.get_int64(0, 1);
    result.last_id = doomed.get_int64(0, 2);
  }
  if (request.dry_run) {
    return result;  // the transaction rolls back: nothing changed
  }

  // The append-only trigger lets a DELETE through only while this is set, for this transaction.
  connection.exec("SELECT set_config('stella.audit_prune', 'on', true)");
  const PgResult moved = connection.exec(
      std::string("WITH doomed AS (DELETE FROM stella.audit_events WHERE ") + kPrunableCondition +
          " RETURNING id, event_type, occurred_at, retention, prev_hash, hash) "
          "INSERT INTO stella.audit_pruned "
          "(id, event_type, occurred_at, retention, prev_hash, hash, pruned_at, pruned_by) "
          "SELECT id, event_type, occurred_at, retention, prev_hash, hash, now(), $3 FROM doomed "
          "RETURNING id, event_type, " +
          audit_occurred_at_sql("occurred_at") + ", retention, prev_hash, hash, " +
          audit_occurred_at_sql("pruned_at"),
      {result.before, result.retention_cutoff, request.operator_name});
  connection.exec("SELECT set_config('stella.audit_prune', 'off', true)");
  if (moved.affected_rows() != result.pruned) {
    throw sdk::Error(sdk::ErrorCode::internal, "prune counted " + std::to_string(result.pruned) +
                                                   " events but moved " +
                                                   std::to_string(moved.affected_rows()) +
                                                   " to tombstones; nothing was "
                                                   "changed");
  }
  // The record binds the tombstones to this prune (audit/tombstone_ledger.hpp): rendered as the
  // verifier reads them back, in id order.
  std::vector<TombstoneFields> tombstones;
  for (int row = 0; row < moved.rows(); ++row) {
    tombstones.push_back({moved.get_int64(row, 0), std::string(moved.get(row, 1)),
                          std::string(moved.get(row, 2)), std::string(moved.get(row, 3)),
                          std::string(moved.get(row, 4)), std::string(moved.get(row, 5)),
                          std::string(moved.get(row, 6))});
  }
  std::sort(tombstones.begin(), tombstones.end(),
            [](const TombstoneFields& a, const TombstoneFields& b) { return a.id < b.id; });
  result.audit_event_id =
      append_audit_event(connection, audit_type::kAuditPrune, request.operator_name,
                         prune_record(result, tombstones_digest(tombstones)));
  transaction.commit();
  return result;
}

}  // namespace stella::host
