// The areas of integrity-check, each in its own file, writing into one report through an
// IntegrityCollector.
#pragma once

#include <string>

#include "stella/host/diagnostics/integrity_check.hpp"
#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Adds areas and problems to a report, keeping the counts in step.
///
/// Thread-safety: one thread. The report must outlive the collector.
class IntegrityCollector {
 public:
  explicit IntegrityCollector(IntegrityReport& report) : report_(report) {}
  /// Starts the next area; later problems and counts belong to it.
  void begin_area(const std::string& name, const std::string& title);
  void add(IntegrityProblem problem);
  void count_checked(std::int64_t records);
  void set_note(const std::string& note);

 private:
  IntegrityArea& current();
  IntegrityReport& report_;
};

/// Live tables, columns, constraints, indexes and row security of schema "evidence" against what
/// the embedded SQL of `version` creates (built in a scratch schema inside a transaction that is
/// always rolled back, on `connection`).
void check_schema_objects(PgConnection& connection, const std::string& version,
                          IntegrityCollector& collector);

/// The audit trail's hash chain (the same verifier as `stella evidence audit verify`).
void check_audit_chain(PgConnection& connection, IntegrityCollector& collector);

/// Every stored root of the active generation against what it commits to as stored, reading no
/// artifact bytes.
void check_stored_roots(const std::string& conninfo, PluginRegistry& registry,
                        IntegrityCollector& collector);

/// The verify-all pass: digests from the bytes, every root, every attestation signature.
void check_content(const std::string& conninfo, const StoreLayout& layout,
                   unsigned attestation_workers, IntegrityCollector& collector);

/// Schema 2.0: every recorded transition between generations (verify-continuity), and every
/// generation covered by a transition or by the content check.
void check_generations(const std::string& conninfo, PluginRegistry& registry,
                       IntegrityCollector& collector);

}  // namespace stella::host
