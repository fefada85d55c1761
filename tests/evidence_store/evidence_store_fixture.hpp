// A scratch database with an evidence store, driven through the real CLI, with SQL access for
// tampering and for digests of every row.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "stella/host/store/pg_connection.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace stella::test {

/// The small store every test seeds: 2 tenants x 5 bundles x 4 artifacts.
inline constexpr const char* kSmallTenants = "2";
inline constexpr const char* kSmallBundles = "5";
inline constexpr const char* kSmallArtifacts = "4";
/// Fixed period, so that even the times of two seeded stores are equal.
inline constexpr const char* kSeedSince = "2026-01-01";

class EvidenceStore {
 public:
  explicit EvidenceStore(const std::string& prefix);

  /// `stella --database <this> <args...>`.
  ProcessResult stella(std::vector<std::string> args) const;
  /// init, then seed the small store with `seed`; fails the test when either fails.
  void init_and_seed(const std::string& seed = "7") const;

  host::PgConnection& sql() { return *connection_; }
  /// ALTER DATABASE <this> SET `setting` ("search_path = evidence, public"), as a DBA would: it
  /// applies to every session that connects afterwards, stella's included.
  void set_for_new_sessions(const std::string& setting);
  /// The first value of the first row of `query`.
  std::string scalar(const std::string& query);
  /// md5 of every row of every table in the evidence and stella schemas, by table.
  std::string digest_of_all_rows();
  const std::string& conninfo() const { return database_.conninfo(); }

 private:
  ScratchDatabase database_;
  std::unique_ptr<host::PgConnection> connection_;
};

/// A login role of the test cluster (roles are cluster-wide: the name carries the pid), dropped
/// with what it owns and was granted in the store's database.
class ScopedRole {
 public:
  ScopedRole(EvidenceStore& store, const std::string& prefix);
  ~ScopedRole();
  ScopedRole(const ScopedRole&) = delete;
  ScopedRole& operator=(const ScopedRole&) = delete;

  const std::string& name() const { return name_; }
  /// `stella --database <the store's database, as this role> --quiet <args...>`.
  ProcessResult stella(std::vector<std::string> args) const;

 private:
  EvidenceStore& store_;
  std::string name_;
};

/// Parses `text` and checks it against the embedded schema; fails the test when it does not match.
rapidjson::Document valid_json(const std::string& text, const char* schema);

bool mentions(const std::string& text, const std::string& part);

}  // namespace stella::test
