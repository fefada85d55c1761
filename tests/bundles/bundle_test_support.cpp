#include "bundles/bundle_test_support.hpp"

#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "stella/host/json/json_schema.hpp"
#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::test {

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

BundleStore::BundleStore(const std::string& prefix)
    : database_(prefix), connection_(host::PgConnection::connect(database_.conninfo())) {}

ProcessResult BundleStore::stella(std::vector<std::string> args) const {
  std::vector<std::string> line = {"--database", database_.conninfo(), "--quiet"};
  line.insert(line.end(), args.begin(), args.end());
  return run_stella(line);
}

void BundleStore::init_and_seed(const std::string& seed) const {
  const auto init = stella({"evidence", "init"});
  BOOST_REQUIRE_MESSAGE(init.exit_code == 0, "init failed: " << init.err);
  const auto seeded =
      stella({"evidence", "seed", "--tenants", kSeedTenants, "--bundles", kSeedBundles,
              "--artifacts-per-bundle", kSeedArtifacts, "--seed", seed, "--since", kSeedSince});
  BOOST_REQUIRE_MESSAGE(seeded.exit_code == 0, "seed failed: " << seeded.err);
}

std::string BundleStore::scalar(const std::string& query) {
  const auto result = connection_->exec(query);
  BOOST_REQUIRE_MESSAGE(result.rows() > 0, "no rows from: " << query);
  return std::string(result.get(0, 0));
}

bool BundleStore::has_store() {
  return scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'evidence'") != "0";
}

std::string BundleStore::digest_of_all_rows() {
  return digest_of_schemas("'evidence', 'stella'");
}

std::string BundleStore::digest_of_evidence_rows() {
  return digest_of_schemas("'evidence'");
}

std::string BundleStore::digest_of_schemas(const std::string& schemas) {
  const auto tables = connection_->exec(
      "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) "
      "FROM information_schema.tables WHERE table_schema IN (" +
      schemas +
      ") "
      "AND table_type = 'BASE TABLE' ORDER BY 1");
  if (tables.rows() == 0) {
    return "no store";
  }
  std::string digest;
  for (int r = 0; r < tables.rows(); ++r) {
    const std::string table(tables.get(r, 0));
    digest += table + "=" +
              scalar(
                  "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), 'empty') "
                  "FROM " +
                  table + " t") +
              "\n";
  }
  return digest;
}

rapidjson::Document BundleStore::roots() {
  const auto result = stella({"evidence", "roots-export", "--format", "json"});
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "roots-export failed: " << result.err);
  rapidjson::Document document;
  document.Parse(result.out.c_str());
  BOOST_REQUIRE(!document.HasParseError());
  return document;
}

BundleStore& shared_source_store() {
  static BundleStore store("bundles_source");
  static const bool seeded = (store.init_and_seed(), true);
  (void)seeded;
  return store;
}

ProcessResult export_to(const BundleStore& store, const fs::path& output,
                        std::vector<std::string> options) {
  std::vector<std::string> args = {"evidence", "export"};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back("--output");
  args.push_back(output.string());
  const ProcessResult result = store.stella(args);
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0,
                        "export failed (" << result.exit_code << "): " << result.err);
  return result;
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

std::unique_ptr<host::PgConnection> empty_store_at(const ScratchDatabase& database,
                                                   const std::string& version) {
  const auto init = run_stella(
      {"--database", database.conninfo(), "evidence", "init", "--schema-version", version});
  BOOST_TEST_REQUIRE(init.exit_code == 0, init.err);
  return host::PgConnection::connect(database.conninfo());
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_text(const fs::path& file, const std::string& content) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
}

std::vector<std::pair<std::string, std::string>> checksum_lines(const fs::path& bundle) {
  std::vector<std::pair<std::string, std::string>> lines;
  std::istringstream in(read_text(bundle / "checksums.sha256"));
  std::string line;
  constexpr std::size_t kHexDigits = 64;
  while (std::getline(in, line)) {
    lines.emplace_back(line.substr(kHexDigits + 2), line.substr(0, kHexDigits));
  }
  return lines;
}

void write_listed_file(const fs::path& bundle, const std::string& file,
                       const std::string& content) {
  write_text(bundle / file, content);
  const auto hasher = host::make_evp_hasher("sha256");
  const std::string hex = host::to_hex(hasher->digest(
      host::ByteView(reinterpret_cast<const std::uint8_t*>(content.data()), content.size())));
  std::string listing;
  for (const auto& [path, old_hex] : checksum_lines(bundle)) {
    listing += (path == file ? hex : old_hex) + "  " + path + "\n";
  }
  write_text(bundle / "checksums.sha256", listing);
}

std::string first_file(const fs::path& bundle, const std::string& contains) {
  for (const auto& [path, hex] : checksum_lines(bundle)) {
    if (path.find(contains) != std::string::npos) {
      return path;
    }
  }
  BOOST_FAIL("no file containing '" << contains << "' in " << bundle);
  return {};
}

}  // namespace stella::test
