// Finding the installed PostgreSQL server programs (initdb, pg_ctl, postgres).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace stella::host {

struct PostgresBinaries {
  /// The directory holding initdb, pg_ctl and postgres.
  std::filesystem::path directory;
  std::filesystem::path initdb() const { return directory / "initdb"; }
  std::filesystem::path pg_ctl() const { return directory / "pg_ctl"; }
};

/// Searches, in order: /usr/lib/postgresql/<data_major_version>/bin when an existing cluster names
/// its version (a newer server cannot open an older data directory); `pg_config --bindir`; the
/// highest /usr/lib/postgresql/<N>/bin; every directory of PATH. Throws sdk::Error(refused) listing
/// every place searched when none holds all three programs.
PostgresBinaries find_postgres_binaries(const std::optional<std::string>& data_major_version);

}  // namespace stella::host
