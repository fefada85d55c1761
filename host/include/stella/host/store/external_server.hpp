// Whether this process talks to a PostgreSQL server stella does not run (--database or
// STELLA_DATABASE) or to its embedded cluster: remedies for an unreachable, refusing or vanished
// server differ (`stella db start` starts only the embedded one; an external server has a DBA,
// a pg_hba.conf and its own log). One process talks to one of them, so it is noted once, when the
// global options are read.
#pragma once

#include <string>

namespace stella::host {

/// Notes that the connection strings of this process name an external server.
void note_external_server();

bool uses_external_server();

/// Where to find out what happened to the server, for "when PostgreSQL is back (...)":
/// `stella db status` and the embedded server's log, or the external server's administrator.
std::string where_to_see_why_the_server_stopped();

}  // namespace stella::host
