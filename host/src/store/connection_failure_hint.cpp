#include "store/connection_failure_hint.hpp"

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
  return std::string("is the server running? `stella db status` shows the embedded cluster ") +
         "(`stella db start` starts it); otherwise check the connection string given with " +
         kWhereGiven;
}

}  // namespace stella::host
