// Schema 2.0 isolates tenants with row-level security (docs/store-schema-2.0.md): a role that is
// subject to it sees only the rows of the tenant it names in stella.tenant, and none without one.
// The verbs read and verify the whole store; for such a role they would report an empty store,
// or a tampered one, without any error. This refuses that role up front.
#pragma once

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Throws sdk::Error(refused) naming the role, the owner of the tables and what to do when a table
/// of schema evidence has row-level security enabled and the connected role neither has the
/// owner's privileges (is it, or inherits from it) nor BYPASSRLS. Superusers pass.
void refuse_a_role_that_row_security_restricts(PgConnection& connection);

}  // namespace stella::host
