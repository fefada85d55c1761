// PgTransaction: a transaction that rolls back unless committed.
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

PgTransaction::PgTransaction(PgConnection& connection) : connection_(connection) {
  connection_.begin();
}

PgTransaction::~PgTransaction() {
  if (done_) {
    return;
  }
  try {
    connection_.rollback();
  } catch (...) {
    // A destructor must not throw; a connection that cannot roll back is lost, and PostgreSQL
    // rolls the transaction back when the session ends.
  }
}

void PgTransaction::commit() {
  done_ = true;
  connection_.commit();
}

}  // namespace stella::host
