// The session settings stella fixes on every connection it opens, whatever the role, the database
// or the server configuration set: its SQL and its waits are written for these values.
#pragma once

#include <string>

namespace stella::host {

/// One script of SET statements for a server of version `server_version` (PQserverVersion's
/// number, 150004 for 15.4): settings an older server does not know are left out.
std::string session_settings_script(int server_version);

}  // namespace stella::host
