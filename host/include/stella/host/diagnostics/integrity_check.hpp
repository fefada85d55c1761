// `stella evidence integrity-check [--deep]`: one command that says whether the store is whole,
// and names every place it is not (docs/troubleshooting.md).
//
// Quick mode reads no artifact bytes: every stored root is recomputed from what it commits to as
// stored (bundle roots from the stored artifact digests, tenant roots from the stored bundle
// roots, the global root from the stored tenant roots), the audit chain is verified, and the live
// schema objects are compared with what the embedded SQL of the recorded schema version creates.
// Deep mode adds the verify-all pass (every digest from the bytes, every root, every attestation
// signature) and, on schema 2.0, every recorded generation transition (verify-continuity over both
// generations and their cross-references).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

/// The parts of the report, in report order.
namespace integrity_area {
inline constexpr const char* kSchema = "schema";
inline constexpr const char* kAudit = "audit";
inline constexpr const char* kRoots = "roots";
inline constexpr const char* kContent = "content";
inline constexpr const char* kGenerations = "generations";
}  // namespace integrity_area

/// Check names of the areas this module computes itself (the content and generations areas use
/// the names of verify-all and verify-continuity).
namespace integrity_check_name {
inline constexpr const char* kMissingTable = "missing_table";
inline constexpr const char* kExtraTable = "extra_table";
inline constexpr const char* kMissingColumn = "missing_column";
inline constexpr const char* kExtraColumn = "extra_column";
inline constexpr const char* kColumnType = "column_type";
inline constexpr const char* kColumnNullability = "column_nullability";
inline constexpr const char* kMissingConstraint = "missing_constraint";
inline constexpr const char* kExtraConstraint = "extra_constraint";
inline constexpr const char* kMissingIndex = "missing_index";
inline constexpr const char* kRowSecurity = "row_security";
inline constexpr const char* kAuditChain = "audit_chain";
inline constexpr const char* kBundleRoot = "bundle_root";
inline constexpr const char* kTenantRoot = "tenant_root";
inline constexpr const char* kTenantCounts = "tenant_counts";
inline constexpr const char* kGlobalRoot = "global_root";
inline constexpr const char* kGlobalCounts = "global_counts";
/// A walk over the store could not finish (rows that break the layout, e.g. a bundle of a tenant
/// that does not exist); the message says which and what to run next.
inline constexpr const char* kUnreadable = "unreadable";
/// A recorded generation transition that does not verify, or a generation no check covers.
inline constexpr const char* kTransition = "transition";
inline constexpr const char* kGeneration = "generation";
}  // namespace integrity_check_name

/// One problem. Empty fields do not apply.
struct IntegrityProblem {
  std::string area;
  std::string check;
  /// The schema object (table, "table.column", constraint) for schema problems.
  std::string object;
  std::string tenant;
  std::string bundle;
  std::string artifact;
  /// Audit event id, for audit problems.
  std::int64_t event_id = 0;
  std::string expected;
  std::string found;
  std::string message;
};

/// What one area checked.
struct IntegrityArea {
  std::string name;
  /// One line: what the area proves when it passes.
  std::string title;
  /// Records (tables, events, bundles, artifacts, transitions) the area looked at.
  std::int64_t checked = 0;
  std::int64_t problems = 0;
  /// Anything the reader should know (e.g. why a part did not apply).
  std::string note;
};

struct IntegrityReport {
  /// "quick" or "deep".
  std::string mode;
  std::string database;
  std::string schema_version;
  std::string tool_version;
  std::string operator_name;
  /// ISO 8601 UTC.
  std::string started_at;
  std::string finished_at;
  /// The active generation's algorithm and stored global root ("" when none is stored).
  std::string algorithm;
  std::string stored_global_root;
  std::vector<IntegrityArea> areas;
  /// At most kMaxIntegrityProblems; problem_count counts all.
  std::vector<IntegrityProblem> problems;
  std::int64_t problem_count = 0;
  /// The verification audit event that records this check.
  std::int64_t audit_event_id = 0;

  bool passed() const { return problem_count == 0; }
};

/// Problems listed in a report; beyond this only the count grows.
inline constexpr std::size_t kMaxIntegrityProblems = 10000;

struct IntegrityOptions {
  bool deep = false;
  /// Recorded in the report and in the audit event.
  std::string operator_name;
  /// Threads checking attestation signatures in deep mode.
  unsigned attestation_workers = 1;
};

/// Runs the checks on the store at `conninfo` (reads only), then records a verification audit
/// event (its own short transaction). Problems in the data are in the report; throws
/// sdk::Error(refused) when there is no evidence store, and the connection's errors otherwise.
/// `registry` supplies reindexer plugins for generations the built-in hashers do not know.
IntegrityReport check_store_integrity(const std::string& conninfo, PluginRegistry& registry,
                                      const IntegrityOptions& options);

/// The report as JSON (schemas/integrity-report.schema.json) and as text for people.
std::string integrity_report_to_json(const IntegrityReport& report);
std::string integrity_report_to_text(const IntegrityReport& report);

}  // namespace stella::host
