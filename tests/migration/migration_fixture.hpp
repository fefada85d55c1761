// A scratch database with a seeded evidence store, driven through the real `stella` CLI with the
// real step plugins of this build, and read back through SQL: roots, a digest of every row, the
// catalog, the recorded runs.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "stella/host/store/pg_connection.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace stella::test {

/// A store small enough to keep each test to a few seconds, big enough for several batches.
struct StoreSize {
  std::string tenants = "2";
  std::string bundles = "5";
  std::string artifacts_per_bundle = "4";
};

/// Batches of this many rows make the small store take several batches per phase.
inline constexpr const char* kSmallBatch = "7";

/// Version and roots as the roots-export verb reports them.
struct ExportedRoots {
  std::string schema_version;
  std::string global_root;
  /// tenant -> root
  std::map<std::string, std::string> tenants;
};

/// A run as stella.migration_runs records it.
struct RecordedRun {
  std::int64_t run_id = 0;
  std::string kind;
  std::string status;
  std::string reason;
  std::string error;
};

class MigrationStore {
 public:
  explicit MigrationStore(const std::string& prefix);

  /// `stella --database <this> <args...>` with extra environment.
  ProcessResult stella(std::vector<std::string> args,
                       const std::map<std::string, std::string>& environment = {}) const;
  /// Fails the test with the command's output unless it exits with `expected`.
  ProcessResult expect(int expected, std::vector<std::string> args,
                       const std::map<std::string, std::string>& environment = {}) const;
  /// init (schema 1.0) and seed; fails the test when either fails.
  void init_and_seed(const StoreSize& size = {}, const std::string& seed = "11") const;

  host::PgConnection& sql() { return *connection_; }
  std::string scalar(const std::string& query);
  const std::string& conninfo() const { return database_.conninfo(); }

  std::string schema_version();
  ExportedRoots roots();
  /// md5 of every row of every table of the evidence schema, one line per table.
  std::string evidence_rows_digest();
  /// The same for the tool's own state schema (runs, audit trail).
  std::string state_rows_digest();
  std::vector<std::string> catalog();
  /// The most recent run.
  RecordedRun last_run();
  /// Waits until no `stella migrate` session is connected any more: after a SIGKILL the server
  /// ends the dead process's sessions (and releases its lock) on its own, a moment later.
  void wait_for_migration_sessions_to_end();
  /// Audit events of `type` recorded for `run_id`.
  std::int64_t audit_events(const std::string& type, std::int64_t run_id);

 private:
  std::string rows_digest(const std::string& schema);

  ScratchDatabase database_;
  std::unique_ptr<host::PgConnection> connection_;
};

/// Parses `text` and checks it against the embedded JSON Schema; fails the test when it does not.
rapidjson::Document valid_json(const std::string& text, const char* schema);

bool mentions(const std::string& text, const std::string& part);

/// "sha256:<hex>" of a file's bytes, computed here (OpenSSL), independently of the host.
std::string file_sha256(const std::string& path);

/// The built step plugin's library file (under STELLA_PLUGIN_BUILD_DIR).
std::string plugin_library(const std::string& plugin_id);

/// "migrate --from-version 1.0 --to-version 2.0" plus `extra`.
std::vector<std::string> migrate_1_0_to_2_0(std::vector<std::string> extra = {});

}  // namespace stella::test
