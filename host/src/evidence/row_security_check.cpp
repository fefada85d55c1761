#include "evidence/row_security_check.hpp"

#include "stella/sdk/error.hpp"

namespace stella::host {

void refuse_a_role_that_row_security_restricts(PgConnection& connection) {
  // pg_has_role(..., 'USAGE') is what PostgreSQL itself asks to exempt the owner: the role is the
  // owner or inherits its privileges (a NOINHERIT member is still restricted). Superusers have
  // every role's privileges and BYPASSRLS besides.
  const PgResult restricted = connection.exec(
      "SELECT current_user, n.nspname || '.' || c.relname, pg_get_userbyid(c.relowner) "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = 'evidence' AND c.relkind IN ('r', 'p') AND c.relrowsecurity "
      "AND NOT pg_has_role(current_user, c.relowner, 'USAGE') "
      "AND NOT (SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user) "
      "ORDER BY c.relname LIMIT 1");
  if (restricted.rows() == 0) {
    return;
  }
  const std::string role(restricted.get(0, 0));
  const std::string table(restricted.get(0, 1));
  const std::string owner(restricted.get(0, 2));
  throw sdk::Error(
      sdk::ErrorCode::refused,
      "role '" + role + "' is subject to the row-level security of " + table + " (owned by role '" +
          owner +
          "'): it would see only the rows of the tenant named in stella.tenant, none without "
          "one, and every count, root and verification would describe that part as the store",
      "connect as '" + owner + "', or as a role that inherits its privileges (GRANT " + owner +
          " TO " + role + "), or give '" + role + "' BYPASSRLS (ALTER ROLE " + role +
          " BYPASSRLS)");
}

}  // namespace stella::host
