#include "migration/migration_fixture.hpp"

#include <openssl/evp.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "migration/catalog_description.hpp"
#include "stella/host/json/json_schema.hpp"

namespace stella::test {

MigrationStore::MigrationStore(const std::string& prefix)
    : database_(prefix), connection_(host::PgConnection::connect(database_.conninfo())) {}

ProcessResult MigrationStore::stella(std::vector<std::string> args,
                                     const std::map<std::string, std::string>& environment) const {
  std::vector<std::string> line = {"--database", database_.conninfo(), "--quiet"};
  line.insert(line.end(), args.begin(), args.end());
  return run_stella(line, environment);
}

ProcessResult MigrationStore::expect(int expected, std::vector<std::string> args,
                                     const std::map<std::string, std::string>& environment) const {
  std::string line;
  for (const auto& arg : args) {
    line += " " + arg;
  }
  ProcessResult result = stella(std::move(args), environment);
  BOOST_REQUIRE_MESSAGE(result.exit_code == expected, "stella" << line << " exited "
                                                               << result.exit_code << ", expected "
                                                               << expected << "\nstdout:\n"
                                                               << result.out << "\nstderr:\n"
                                                               << result.err);
  return result;
}

void MigrationStore::init_and_seed(const StoreSize& size, const std::string& seed) const {
  expect(0, {"evidence", "init"});
  expect(0, {"evidence", "seed", "--tenants", size.tenants, "--bundles", size.bundles,
             "--artifacts-per-bundle", size.artifacts_per_bundle, "--seed", seed, "--since",
             "2026-01-01"});
}

std::string MigrationStore::scalar(const std::string& query) {
  const auto result = connection_->exec(query);
  BOOST_REQUIRE_MESSAGE(result.rows() > 0, "no rows from: " << query);
  return std::string(result.get(0, 0));
}

std::string MigrationStore::schema_version() {
  return scalar("SELECT version FROM evidence.schema_version");
}

ExportedRoots MigrationStore::roots() {
  const auto exported = expect(0, {"evidence", "roots-export", "--all", "--format", "json"});
  const rapidjson::Document document = valid_json(exported.out, "roots-export.schema.json");
  ExportedRoots roots;
  roots.schema_version = document["schemaVersion"].GetString();
  roots.global_root = document["globalRoot"].GetString();
  for (const auto& tenant : document["tenants"].GetArray()) {
    roots.tenants[tenant["tenant"].GetString()] = tenant["root"].GetString();
  }
  return roots;
}

std::string MigrationStore::evidence_rows_digest() {
  return rows_digest("evidence");
}

std::string MigrationStore::state_rows_digest() {
  return rows_digest("stella");
}

std::string MigrationStore::rows_digest(const std::string& schema) {
  const auto tables = connection_->exec(
      "SELECT quote_ident(table_name) FROM information_schema.tables "
      "WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1",
      {schema});
  std::string digest;
  for (int r = 0; r < tables.rows(); ++r) {
    const std::string table(tables.get(r, 0));
    digest += table + " " +
              scalar(
                  "SELECT count(*) || ' ' || coalesce(md5(string_agg(md5(t::text), '' "
                  "ORDER BY t::text)), 'empty') FROM " +
                  schema + "." + table + " t") +
              "\n";
  }
  return digest;
}

std::vector<std::string> MigrationStore::catalog() {
  return evidence_catalog(*connection_);
}

RecordedRun MigrationStore::last_run() {
  const auto rows = connection_->exec(
      "SELECT run_id, kind, status, coalesce(reason, ''), coalesce(error, '') "
      "FROM stella.migration_runs ORDER BY run_id DESC LIMIT 1");
  BOOST_REQUIRE_MESSAGE(rows.rows() == 1, "no migration run is recorded");
  return RecordedRun{rows.get_int64(0, 0), std::string(rows.get(0, 1)), std::string(rows.get(0, 2)),
                     std::string(rows.get(0, 3)), std::string(rows.get(0, 4))};
}

void MigrationStore::wait_for_migration_sessions_to_end() {
  constexpr auto kPollInterval = std::chrono::milliseconds(20);
  constexpr auto kPollLimit = std::chrono::seconds(60);
  const auto deadline = std::chrono::steady_clock::now() + kPollLimit;
  while (scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name LIKE 'stella migrate%'") != "0") {
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                          "the sessions of a killed `stella migrate` did not end");
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::int64_t MigrationStore::audit_events(const std::string& type, std::int64_t run_id) {
  return connection_
      ->exec(
          "SELECT count(*) FROM stella.audit_events WHERE event_type = $1 "
          "AND data ->> 'run_id' = $2",
          {type, std::to_string(run_id)})
      .get_int64(0, 0);
}

rapidjson::Document valid_json(const std::string& text, const char* schema) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError(), "not JSON: " << text);
  for (const auto& violation : host::schema_violations(document, schema)) {
    BOOST_ERROR(schema << ": " << violation << "\n" << text);
  }
  return document;
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  BOOST_REQUIRE(EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) == 1);
  static const char* const kHex = "0123456789abcdef";
  std::string text = "sha256:";
  for (unsigned int i = 0; i < size; ++i) {
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 0xF];
  }
  return text;
}

std::string plugin_library(const std::string& plugin_id) {
  // The manifests name the libraries after the id: schema-1.0-to-1.1 ->
  // libstella_schema_1_0_to_1_1.so
  std::string name = plugin_id;
  for (char& c : name) {
    if (c == '-' || c == '.') {
      c = '_';
    }
  }
  return required_env("STELLA_PLUGIN_BUILD_DIR") + "/" + plugin_id + "/libstella_" + name + ".so";
}

std::vector<std::string> migrate_1_0_to_2_0(std::vector<std::string> extra) {
  std::vector<std::string> args = {"evidence", "migrate",      "--from-version",
                                   "1.0",      "--to-version", "2.0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace stella::test
