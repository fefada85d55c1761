#include "stella/host/evidence/evidence_write_lock.hpp"

#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/store/advisory_lock_holder.hpp"

namespace stella::host {

void take_evidence_write_lock(PgConnection& connection,
                              const std::function<void(const std::string&)>& note) {
  const std::string key = std::to_string(kEvidenceWriteLockKey);
  if (connection.exec("SELECT pg_try_advisory_xact_lock($1)", {key}).get(0, 0) == "t") {
    return;
  }
  if (note) {
    const int holder = advisory_lock_holder_pid(connection, kEvidenceWriteLockKey);
    note(
        "waiting for the evidence write lock, which another writer holds while it adds evidence "
        "and recomputes the roots" +
        (holder != 0 ? ": " + describe_server_session(connection, holder) : std::string()) +
        "; this goes on when that writer commits");
  }
  connection.exec("SELECT pg_advisory_xact_lock($1)", {key});
}

}  // namespace stella::host
