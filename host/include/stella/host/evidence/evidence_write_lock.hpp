// Taking the evidence write lock (kEvidenceWriteLockKey) that stella's writers — seed, import,
// orphans --quarantine — hold while they add rows and recompute the stored roots. It may be held
// for minutes (a large import); the writer that must wait says so and names who holds it, instead
// of hanging without a word.
#pragma once

#include <functional>
#include <string>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Takes the evidence write lock for the open transaction on `connection`. When another session
/// holds it, first calls `note` with a line naming that session, then waits.
void take_evidence_write_lock(PgConnection& connection,
                              const std::function<void(const std::string&)>& note);

}  // namespace stella::host
