// The verify-all report as JSON (schemas/verify-report.schema.json), as text for a terminal, and
// as the data of its "verification" audit event.
#pragma once

#include <string>

#include "stella/host/evidence/store_verifier.hpp"

namespace stella::host {

std::string verify_report_to_json(const VerifyReport& report);
std::string verify_report_to_text(const VerifyReport& report);

/// Anomalies copied into the audit event: enough to see what failed without making the audit
/// trail hold a whole report.
inline constexpr std::size_t kAuditedAnomalies = 100;

/// {"result", "anomalies" (at most kAuditedAnomalies), "anomaly_count", "started_at",
///  "finished_at", "global_root", counts, "report" (the --output path, when one was written)}.
std::string verify_audit_data(const VerifyReport& report, const std::string& report_path);

}  // namespace stella::host
