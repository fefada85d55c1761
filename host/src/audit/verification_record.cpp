#include "stella/host/audit/verification_record.hpp"

#include "stella/host/audit/audit_log.hpp"
#include "stella/host/store/sqlstate.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

std::int64_t record_verification(PgConnection& connection, std::string_view operator_name,
                                 std::string_view data_json, const std::string& outcome) {
  ensure_state_schema(connection);
  const std::string role(connection.exec("SELECT current_user").get(0, 0));
  try {
    PgTransaction transaction(connection);
    const std::int64_t id =
        append_audit_event(connection, audit_type::kVerification, operator_name, data_json);
    transaction.commit();
    return id;
  } catch (const sdk::Error& error) {
    // A verification is only complete once the audit trail says it happened (docs/cli.md): a role
    // that cannot record it is refused rather than given the exit code of an unrecorded result.
    if (reports_sqlstate(error, sqlstate::kReadOnlySqlTransaction)) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       outcome +
                           "; but the verification could not be recorded in the audit trail: the "
                           "database is read-only (a hot standby, or "
                           "default_transaction_read_only is on)",
                       "run the verification against the primary to have it recorded; the "
                       "result above is not in the audit trail");
    }
    if (reports_sqlstate(error, sqlstate::kInsufficientPrivilege)) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       outcome +
                           "; but the verification could not be recorded in the audit trail: "
                           "role '" +
                           role + "' may not write stella.audit_events (" + error.what() + ")",
                       "run it as the store's owner, or grant '" + role +
                           "' INSERT on stella.audit_events and UPDATE on stella.audit_chain_head; "
                           "the result above is not in the audit trail");
    }
    throw;
  }
}

}  // namespace stella::host
