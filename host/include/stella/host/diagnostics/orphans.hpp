// `stella evidence orphans --list | --quarantine`: rows that nothing references or that reference
// nothing (docs/troubleshooting.md, "Missing Evidence Records").
//
// Schema 1.0's foreign keys prevent most orphans; they appear when constraints were dropped or
// disabled, or rows were loaded with session_replication_role = replica (which skips FK
// triggers). Quarantine moves orphans into schema evidence_quarantine (schemas/sql/state/
// 004_quarantine.sql) with an audit event; it never deletes, never moves a row that a legal hold
// covers, and never moves sealed evidence that is intact but missing from the roots.
#pragma once

#include <functional>

#include <cstdint>
#include <string>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// One kind of orphan and how many the store holds.
struct OrphanKindCount {
  /// "artifact_without_bundle", "bundle_without_tenant", ... (docs/troubleshooting.md).
  std::string kind;
  /// The table the rows are in ("evidence.artifacts").
  std::string table;
  /// What the kind means, one line.
  std::string description;
  std::int64_t count = 0;
  /// Whether quarantine moves this kind (rows a legal hold covers stay regardless).
  bool quarantinable = false;
  /// Why it is not moved, when it is not.
  std::string kept_reason;
  /// Rows of this kind that a legal hold covers.
  std::int64_t held = 0;
};

/// One orphaned row. Empty fields do not apply or are unknown.
struct OrphanRecord {
  std::string kind;
  std::string table;
  std::string tenant;
  std::string bundle;
  /// What identifies the row besides tenant and bundle (an artifact path, a content address, a
  /// generation and path, a count).
  std::string key;
  /// A legal hold covers it: quarantine never moves it.
  bool held = false;
};

struct OrphanReport {
  std::string database;
  std::string schema_version;
  /// Every kind the schema version can have, in report order (counts may be 0).
  std::vector<OrphanKindCount> kinds;
  /// At most kMaxListedOrphans; total counts all.
  std::vector<OrphanRecord> records;
  std::int64_t total = 0;
};

inline constexpr std::size_t kMaxListedOrphans = 10000;

/// Finds every orphan (reads only, one snapshot). Throws sdk::Error(refused) with no store.
OrphanReport find_orphans(PgConnection& connection);

struct QuarantineSummary {
  /// The orphans before the move.
  OrphanReport before;
  /// Rows moved per kind (dependent rows moved with their orphan count under its kind).
  std::vector<std::pair<std::string, std::int64_t>> moved;
  std::int64_t moved_total = 0;
  /// Orphans left in place (held, or of a kind that is never moved).
  std::int64_t kept_total = 0;
  /// The quarantine audit event; 0 when there was nothing to move (nothing is written then).
  std::int64_t audit_event_id = 0;
};

/// Moves every quarantinable orphan not under a legal hold into evidence_quarantine.records, in
/// one transaction with its "quarantine" audit event.
/// `note` hears a line when it must wait for another evidence writer first.
QuarantineSummary quarantine_orphans(PgConnection& connection, const std::string& operator_name,
                                     const std::function<void(const std::string&)>& note = {});

/// Reports as JSON (schemas/orphans-report.schema.json) and text.
std::string orphan_report_to_json(const OrphanReport& report, const QuarantineSummary* quarantine);
std::string orphan_report_to_text(const OrphanReport& report, const QuarantineSummary* quarantine);

}  // namespace stella::host
