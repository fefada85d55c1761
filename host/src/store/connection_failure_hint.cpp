#include "store/connection_failure_hint.hpp"

#include "stella/host/store/external_server.hpp"

namespace stella::host {
namespace {

bool says(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

/// Where a connection string is given: every remedy ends by pointing there.
constexpr const char* kWhereGiven = "--database or STELLA_DATABASE";

}  // namespace

std::string connection_failure_hint(const std::string& why, const std::string& dbname,
                                    const std::string& user) {
  // The server's FATAL messages (in English, the embedded cluster's and libpq's default).
  if (says(why, "database \"") && says(why, "\" does not exist")) {
    return "the server is running but has no database '" + dbname +
           "': name the database that holds the store with " + kWhereGiven +
           ", or create it (createdb " + dbname + "; then `stella evidence init`)";
  }
  if (says(why, "role \"") && says(why, "\" does not exist")) {
    return "the server is running but has no role '" + user +
           "': connect as a user it knows (user= in " + kWhereGiven + "), or create the role";
  }
  if (says(why, "password authentication failed") || says(why, "no password supplied")) {
    return "the server is running but refused the credentials of '" + user +
           "': give the right password (PGPASSWORD or ~/.pgpass) or another user in " + kWhereGiven;
  }
  if (says(why, "no pg_hba.conf entry")) {
    return "the server is running but its pg_hba.conf admits no connection of this user, "
           "database and address: ask its administrator for an entry, or connect another way "
           "(" +
           std::string(kWhereGiven) + ")";
  }
  if (says(why, "the database system is")) {  // starting up, shutting down, in recovery mode
    return "the server is starting up, shutting down or recovering: wait for it, then run the "
           "command again";
  }
  // Any other refusal the server itself sent (a pg_hba.conf "reject" line, a role without LOGIN,
  // too many connections) comes as FATAL; an SSL mismatch is the server's answer too. It runs.
  if (says(why, "FATAL:") || says(why, "SSL")) {
    return "the server is running but refused this connection (see its words above): check the "
           "pg_hba.conf entry for this user, database and address, and the sslmode of the "
           "connection string (" +
           std::string(kWhereGiven) + "), or ask the server's administrator";
  }
  if (uses_external_server()) {
    return std::string(
               "is the server running? check that it is reachable from here at the "
               "host and port of the connection string given with ") +
           kWhereGiven + ", or ask the server's administrator";
  }
  return std::string("is the server running? `stella db status` shows the embedded cluster ") +
         "(`stella db start` starts it); otherwise check the connection string given with " +
         kWhereGiven;
}

}  // namespace stella::host
