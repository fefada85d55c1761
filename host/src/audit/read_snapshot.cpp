#include "audit/read_snapshot.hpp"

namespace stella::host {

ReadSnapshot::ReadSnapshot(PgConnection& connection)
    : connection_(connection), owned_(!connection.in_transaction()) {
  if (owned_) {
    connection_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
}

ReadSnapshot::~ReadSnapshot() {
  if (!owned_) {
    return;
  }
  try {
    connection_.rollback();
  } catch (...) {
    // Nothing was written; a connection that cannot roll back is lost and the server ends the
    // transaction with the session.
  }
}

}  // namespace stella::host
