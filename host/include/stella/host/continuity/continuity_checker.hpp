// `stella evidence verify-continuity`: proves that a recorded transition from an old global root
// to a new one preserved the chain of custody (docs/continuity-report.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "stella/host/continuity/continuity_report.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

struct ContinuityRequest {
  /// --old-root and --new-root as given ("sha256:<hex>", "sha512:<hex>").
  std::string old_root;
  std::string new_root;
};

/// Finds the recorded transition (by both roots; else by the new root; else by the old one) and
/// checks, in one read-only snapshot and one streaming pass over the store in Merkle order:
/// every artifact's digest in both generations against its stored bytes; every bundle's root in
/// both generations against its stored root and the transition's cross-reference; every tenant's
/// roots against the cross-references; both global roots against the roots given and recorded;
/// that both generations cover exactly the same records; and that the transition's audit event
/// exists. Failing checks go into the report, never into exceptions.
/// Throws sdk::Error(refused) for a store it cannot check (none, schema 1.0, no hasher for an
/// algorithm) and sdk::Error(invalid_input) for a root that is not "alg:<lower-hex>".
std::unique_ptr<ContinuityReport> verify_continuity(const std::string& conninfo,
                                                    PluginRegistry& registry,
                                                    const ContinuityRequest& request);

/// Appends the verification audit event (result, anomalies, started_at, finished_at, roots,
/// transition) in a transaction of its own; returns its id. At most kAuditedAnomalies failing
/// records are listed in the event (anomaly_count gives the total; the report names them all).
/// A report written to a file (--output): the verification event names it and its digest, so that
/// a report an auditor holds can be matched to its record in the audit trail.
struct WrittenReport {
  std::string path;
  /// "sha256:<hex>" of the file's bytes.
  std::string sha256;
};

std::int64_t record_continuity_verification(PgConnection& connection,
                                            const ContinuityReport& report,
                                            const std::string& operator_name,
                                            const std::optional<WrittenReport>& written);

/// Failing records listed by name in the verification audit event.
inline constexpr std::int64_t kAuditedAnomalies = 100;

}  // namespace stella::host
