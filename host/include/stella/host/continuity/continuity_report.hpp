// The chain-of-custody continuity report (docs/continuity-report.md): which checks ran over which
// records, per tenant, and every failing record by name. Failing records are spooled to a
// temporary file as they are found, so a report over a million records holds only its per-tenant
// tallies in memory.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stella::host {

/// The checks of verify-continuity, in report order. Zero is not a valid value.
enum class ContinuityCheck {
  /// The old root recomputes from the old digests (bundle, tenant and global roots).
  old_root = 1,
  /// Every old digest recomputes from the stored bytes.
  old_digests = 2,
  /// Every new digest recomputes from the stored bytes.
  new_digests = 3,
  /// The new root recomputes from the new digests.
  new_root = 4,
  /// Both generations cover exactly the same records.
  coverage = 5,
  /// The transition old root -> new root is recorded (transition, cross-references, audit).
  transition = 6,
};

inline constexpr std::size_t kContinuityCheckCount = 6;

/// Every check, in report order.
const std::array<ContinuityCheck, kContinuityCheckCount>& all_continuity_checks();
/// "old-root", "old-digests", "new-digests", "new-root", "coverage", "transition".
const char* continuity_check_id(ContinuityCheck check);
/// What the check proves, one line ("the old root recomputes from the old digests").
const char* continuity_check_title(ContinuityCheck check);

/// How many records a check looked at and how many failed it.
struct CheckTally {
  std::int64_t checked = 0;
  std::int64_t failed = 0;
  bool passed() const { return failed == 0; }
};

/// One failing record.
struct ContinuityFinding {
  ContinuityCheck check = ContinuityCheck::coverage;
  /// Empty for store-wide findings.
  std::string tenant;
  /// Empty when the finding is about a tenant or the whole store.
  std::string bundle;
  /// Empty when the finding is about a bundle, a tenant or the store.
  std::string path;
  std::string expected;
  std::string found;
  /// What is wrong, in words.
  std::string message;
};

/// Failing records on disk, in the order they were found.
///
/// Ownership: owns a temporary file, removed when the spool is destroyed. Thread-safety: one
/// thread. Failure: throws sdk::Error(internal) when the temporary file cannot be written or read.
class FindingSpool {
 public:
  FindingSpool();
  ~FindingSpool();
  FindingSpool(const FindingSpool&) = delete;
  FindingSpool& operator=(const FindingSpool&) = delete;

  void append(const ContinuityFinding& finding);
  /// Findings appended so far.
  std::int64_t size() const { return count_; }
  /// Calls `visit` with findings [first, first + count) in order.
  void read(std::int64_t first, std::int64_t count,
            const std::function<void(const ContinuityFinding&)>& visit) const;

 private:
  std::FILE* file_ = nullptr;
  std::int64_t count_ = 0;
  /// Byte offset of each finding would cost memory per finding; instead findings are read
  /// sequentially and the reader remembers where the last read ended.
  mutable std::int64_t read_index_ = 0;
  mutable long read_offset_ = 0;
};

/// One section of the report: a tenant, or the store-wide checks (transition and global roots).
struct ContinuitySection {
  /// Tenant id; empty for the store-wide section.
  std::string tenant;
  bool store_wide = false;
  /// The transition cross-references this tenant (false for a tenant added after it).
  bool in_transition = false;
  std::array<CheckTally, kContinuityCheckCount> tallies{};
  /// Bundles and artifacts of the transition in this tenant.
  std::int64_t bundles = 0;
  std::int64_t artifacts = 0;
  /// Bundles stored now that the transition does not include (added after it); their digests
  /// are still checked, their roots are not part of the transition's roots.
  std::int64_t bundles_outside = 0;
  std::int64_t artifacts_outside = 0;
  /// Recorded (cross-reference or transition) and recomputed roots.
  std::string old_root_recorded;
  std::string old_root_recomputed;
  std::string new_root_recorded;
  std::string new_root_recomputed;
  /// The roots stored now for each generation (evidence.tenant_roots, evidence.global_roots: what
  /// roots-export shows), and the roots recomputed over every record stored now, which they must
  /// equal. These differ from the transition's roots when records were added after it.
  std::string old_root_stored;
  std::string old_root_now;
  std::string new_root_stored;
  std::string new_root_now;
  /// This section's findings in the spool.
  std::int64_t first_finding = 0;
  std::int64_t finding_count = 0;

  CheckTally& tally(ContinuityCheck check) { return tallies[static_cast<std::size_t>(check) - 1]; }
  const CheckTally& tally(ContinuityCheck check) const {
    return tallies[static_cast<std::size_t>(check) - 1];
  }
  bool passed() const;
};

/// The recorded transition the report verifies.
struct TransitionRecord {
  std::int64_t transition_id = 0;
  int from_generation = 0;
  int to_generation = 0;
  std::string from_algorithm;
  std::string to_algorithm;
  std::string old_global_root;
  std::string new_global_root;
  std::string recorded_at;
  std::string recorded_by;
  std::optional<std::int64_t> audit_event_id;
};

/// The recorded schema migration whose run started from a root given (a migration_start event).
struct MigrationRecord {
  std::int64_t run_id = 0;
  std::string from_version;
  std::string to_version;
  /// The run's status (stella.migration_runs), and when it finished ("" while not finished).
  std::string status;
  std::string finished_at;
  /// The migration_start event recording the global root before the run, and its time.
  std::int64_t audit_event_id = 0;
  std::string started_at;
  /// The global root the run recorded after it ("" when it recorded none).
  std::string root_after;
};

/// Equal roots given: no root change is claimed, and the roots must be the active generation's.
struct NoRootChange {
  int generation = 0;
  std::string algorithm;
  /// The active generation's stored global root ("" when none is stored).
  std::string stored_root;
  /// The newest recorded migration that started from that root, if any.
  std::optional<MigrationRecord> migration;
};

struct ContinuityReport {
  std::string database;
  std::string schema_version;
  std::string old_root_given;
  std::string new_root_given;
  /// nullopt when no recorded transition matches the roots given, or when the roots given are
  /// equal (no root change; see `unchanged`).
  std::optional<TransitionRecord> transition;
  /// Set when the roots given are equal: the check is of one generation, with no transition.
  std::optional<NoRootChange> unchanged;
  /// The two generations compared (equal when there is no root change; 0 when neither a
  /// transition nor an active generation was found).
  int old_generation = 0;
  int new_generation = 0;
  std::string old_algorithm;
  std::string new_algorithm;
  /// Where each generation's digests were recomputed with ("built-in OpenSSL").
  std::string old_hasher;
  std::string new_hasher;
  std::string started_at;
  std::string finished_at;
  /// Who ran the check and with which stella: an auditor holding the report alone can say who
  /// vouched for it and rerun it with the same tool.
  std::string checked_by;
  std::string tool_version;
  /// Store-wide section first, then tenants in tenant id order.
  std::vector<ContinuitySection> sections;
  /// Failing records of the store-wide section, and of the tenant sections (each tenant's are
  /// contiguous, in section order).
  FindingSpool store_findings;
  FindingSpool tenant_findings;

  const FindingSpool& spool_of(const ContinuitySection& section) const {
    return section.store_wide ? store_findings : tenant_findings;
  }
  FindingSpool& spool_of(const ContinuitySection& section) {
    return section.store_wide ? store_findings : tenant_findings;
  }

  /// Totals over every section.
  CheckTally total(ContinuityCheck check) const;
  bool passed() const;
  /// Tenants the transition cross-references.
  std::int64_t tenant_count() const;
  std::int64_t bundle_count() const;
  std::int64_t artifact_count() const;
  std::int64_t bundles_outside() const;
};

}  // namespace stella::host
