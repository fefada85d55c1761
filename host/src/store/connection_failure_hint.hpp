// What to do when a connection fails, from what the server or libpq said. "Is the server
// running?" is the right first question only when nothing answered; a server that answered
// "database does not exist" or "password authentication failed" is running, and the operator
// needs the next step for that answer instead.
#pragma once

#include <string>

namespace stella::host {

/// The remedy for a failed connection whose libpq message is `why`, to database `dbname` as
/// `user` (either may be empty).
std::string connection_failure_hint(const std::string& why, const std::string& dbname,
                                    const std::string& user);

}  // namespace stella::host
