// Recording a verification (verify-all, integrity-check) in the audit trail, the one write of a
// verb that otherwise only reads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Appends a verification event with `data_json` in a short transaction of its own and returns
/// its id. `outcome` says what the verification found ("verify-all: PASS, 10 bundles"): when the
/// role may not write the event (no INSERT on stella.audit_events, or a read-only database such as
/// a hot standby), the refusal (sdk::Error refused) names that outcome, so the operator learns
/// both what the store is and that the audit trail does not say so.
std::int64_t record_verification(PgConnection& connection, std::string_view operator_name,
                                 std::string_view data_json, const std::string& outcome);

}  // namespace stella::host
