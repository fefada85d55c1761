// The audit area of integrity-check: the same chain verifier as `stella evidence audit verify`.
#include "diagnostics/integrity_areas.hpp"
#include "stella/host/audit/audit_chain_verifier.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

void check_audit_chain(PgConnection& connection, IntegrityCollector& collector) {
  AuditChainReport chain;
  try {
    chain = verify_audit_chain(connection);
  } catch (const sdk::Error& error) {
    if (error.code() != sdk::ErrorCode::refused) {
      throw;
    }
    collector.add({"", integrity_check_name::kAuditChain, "stella.audit_events", "", "", "", 0,
                   "an audit trail", "none", error.what()});
    return;
  }
  collector.count_checked(chain.events);
  if (chain.problem) {
    const AuditChainProblem& problem = *chain.problem;
    collector.add(
        {"", std::string(integrity_check_name::kAuditChain) + "." + audit_break_name(problem.kind),
         "stella.audit_events", "", "", "", problem.event_id, problem.expected, problem.found,
         problem.message});
  }
}

}  // namespace stella::host
