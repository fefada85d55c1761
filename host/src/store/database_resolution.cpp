// Which database a verb talks to: the one named by --database / STELLA_DATABASE, else the embedded
// cluster.
#include "stella/host/store/embedded_cluster.hpp"

namespace stella::host {

std::string resolve_database(const GlobalOptions& globals) {
  if (globals.database) {
    return *globals.database;
  }
  EmbeddedCluster cluster(globals.home);
  cluster.start();  // cheap when it is already running: a lock, a pid check and one connection
  return cluster.conninfo();
}

}  // namespace stella::host
