#include "migration/store_space.hpp"

#include <sys/statvfs.h>

#include "store/cluster_layout.hpp"

namespace stella::host {

StoreSpace measure_store_space(PgConnection& connection, const GlobalOptions& globals) {
  StoreSpace space;
  space.evidence_bytes = connection
                             .exec(
                                 "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint "
                                 "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE n.nspname = 'evidence' AND c.relkind IN ('r', 'm')")
                             .get_int64(0, 0);
  // An external server's disk is out of reach from here; the embedded one's data directory is
  // local.
  if (!globals.database) {
    const std::filesystem::path data = cluster_layout(globals.home).data_directory;
    struct statvfs volume {};
    if (::statvfs(data.c_str(), &volume) == 0) {
      space.free_bytes =
          static_cast<std::int64_t>(volume.f_bavail) * static_cast<std::int64_t>(volume.f_frsize);
    }
  }
  return space;
}

}  // namespace stella::host
