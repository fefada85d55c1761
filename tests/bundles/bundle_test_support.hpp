// What the bundle suites share: a scratch directory, a scratch database with a seeded evidence
// store driven through the real CLI, and small file helpers for building and damaging bundles.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "stella/host/store/pg_connection.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace stella::test {

namespace fs = std::filesystem;

/// A fresh directory under $TMPDIR, removed with everything in it.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix = "stella-bundles-test");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// The small store the suites seed: 3 tenants x 4 bundles x 3 artifacts (a fixed period, so two
/// stores seeded alike hold the same evidence).
inline constexpr const char* kSeedTenants = "3";
inline constexpr const char* kSeedBundles = "4";
inline constexpr const char* kSeedArtifacts = "3";
inline constexpr const char* kSeedSince = "2026-01-01";

/// A scratch database reached through the real CLI, with SQL access for checks and tampering.
class BundleStore {
 public:
  explicit BundleStore(const std::string& prefix);

  /// `stella --database <this> --quiet <args...>`.
  ProcessResult stella(std::vector<std::string> args) const;
  /// init and seed the small store; fails the test when either fails.
  void init_and_seed(const std::string& seed = "11") const;

  host::PgConnection& sql() { return *connection_; }
  std::string scalar(const std::string& query);
  /// True when the database holds an evidence schema.
  bool has_store();
  /// md5 of every row of every table of the evidence and stella schemas (the database
  /// unchanged <=> this unchanged); "no store" when there is none.
  std::string digest_of_all_rows();
  /// The same over the evidence schema only (an audit event may be added, evidence not).
  std::string digest_of_evidence_rows();
  /// `roots-export --format json` parsed; fails the test when it fails.
  rapidjson::Document roots();
  const std::string& conninfo() const { return database_.conninfo(); }

 private:
  std::string digest_of_schemas(const std::string& schemas);
  ScratchDatabase database_;
  std::unique_ptr<host::PgConnection> connection_;
};

/// An empty store at schema `version` (`stella evidence init`) in `database`, and a connection to
/// it; fails the test when init fails.
std::unique_ptr<host::PgConnection> empty_store_at(const ScratchDatabase& database,
                                                   const std::string& version);

/// One seeded store shared by the tests of a process that only read it (created on first use).
BundleStore& shared_source_store();

/// Exports `store` with `options` (e.g. {"--all", "--include-proofs"}) to `output`; fails the
/// test when the export fails.
ProcessResult export_to(const BundleStore& store, const fs::path& output,
                        std::vector<std::string> options);

/// Parses `text` and checks it against the embedded schema; fails the test when it does not match.
rapidjson::Document valid_json(const std::string& text, const char* schema);

bool mentions(const std::string& text, const std::string& part);

std::string read_text(const fs::path& file);
void write_text(const fs::path& file, const std::string& content);

/// The lines of checksums.sha256 of an export directory, as (path, hex).
std::vector<std::pair<std::string, std::string>> checksum_lines(const fs::path& bundle);

/// Writes `file` (relative to the export directory `bundle`) and makes its line in
/// checksums.sha256 agree, so that only what the new content says is wrong.
void write_listed_file(const fs::path& bundle, const std::string& file, const std::string& content);

/// The first file under `bundle` whose relative path matches `predicate`.
std::string first_file(const fs::path& bundle, const std::string& contains);

}  // namespace stella::test
