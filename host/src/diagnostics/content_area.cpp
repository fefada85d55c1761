// The content area of integrity-check --deep: the verify-all pass, its anomalies carried over
// under their own check names.
#include "diagnostics/integrity_areas.hpp"
#include "stella/host/evidence/store_verifier.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

void check_content(const std::string& conninfo, const StoreLayout& layout,
                   unsigned attestation_workers, IntegrityCollector& collector) {
  VerifyOptions options;
  options.attestation_workers = attestation_workers;
  VerifyReport report;
  try {
    report = verify_store(conninfo, layout, options);
  } catch (const sdk::Error& error) {
    if (error.code() != sdk::ErrorCode::internal) {
      throw;
    }
    collector.add({"", integrity_check_name::kUnreadable, "", "", "", "", 0,
                   "bundles and artifacts that each belong to a stored tenant and bundle",
                   error.what(),
                   std::string("the content walk could not finish: ") + error.what() +
                       "; run `stella evidence orphans --list`"});
    return;
  }
  collector.count_checked(report.checked.artifacts);
  for (const VerifyAnomaly& anomaly : report.anomalies) {
    collector.add({"", anomaly.check, "", anomaly.tenant, anomaly.bundle, anomaly.artifact, 0,
                   anomaly.expected, anomaly.found, anomaly.message});
  }
  const auto unlisted = report.anomaly_count - static_cast<std::int64_t>(report.anomalies.size());
  if (unlisted > 0) {
    collector.set_note("verify-all found " + std::to_string(unlisted) +
                       " more anomalies than it lists; run `stella evidence verify-all --output "
                       "FILE` for the first ones");
  }
  collector.set_note("checked " + std::to_string(report.checked.artifacts) + " artifacts (" +
                     std::to_string(report.checked.bytes) + " bytes), " +
                     std::to_string(report.checked.bundles) + " bundles, " +
                     std::to_string(report.checked.signatures) + " signatures.");
}

}  // namespace stella::host
