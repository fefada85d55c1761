// Which database a verb talks to: the one named by --database / STELLA_DATABASE, else the embedded
// cluster.
#include <iostream>

#include "stella/host/store/embedded_cluster.hpp"

namespace stella::host {

std::string resolve_database(const GlobalOptions& globals) {
  if (globals.database) {
    return *globals.database;
  }
  EmbeddedCluster cluster(globals.home);
  // Cheap when it is already running: a lock, a pid check and one connection.
  if (cluster.start() == StartOutcome::created && !globals.quiet) {
    // A mistyped --home would otherwise look like a store that lost everything: say it is new.
    std::cerr << "stella: no embedded PostgreSQL cluster was under " << globals.home
              << "; created a new, empty one there. If you meant an existing store, check --home "
                 "(or STELLA_HOME); `stella db status` shows where a home's cluster lives\n";
  }
  return cluster.conninfo();
}

}  // namespace stella::host
