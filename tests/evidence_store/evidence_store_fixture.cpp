#include "evidence_store/evidence_store_fixture.hpp"

#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "stella/host/json/json_schema.hpp"

namespace stella::test {

EvidenceStore::EvidenceStore(const std::string& prefix)
    : database_(prefix), connection_(host::PgConnection::connect(database_.conninfo())) {}

ProcessResult EvidenceStore::stella(std::vector<std::string> args) const {
  std::vector<std::string> line = {"--database", database_.conninfo(), "--quiet"};
  line.insert(line.end(), args.begin(), args.end());
  return run_stella(line);
}

void EvidenceStore::init_and_seed(const std::string& seed) const {
  const auto init = stella({"evidence", "init"});
  BOOST_REQUIRE_MESSAGE(init.exit_code == 0, "init failed: " << init.err);
  const auto seeded =
      stella({"evidence", "seed", "--tenants", kSmallTenants, "--bundles", kSmallBundles,
              "--artifacts-per-bundle", kSmallArtifacts, "--seed", seed, "--since", kSeedSince});
  BOOST_REQUIRE_MESSAGE(seeded.exit_code == 0, "seed failed: " << seeded.err);
}

std::string EvidenceStore::scalar(const std::string& query) {
  const auto result = connection_->exec(query);
  BOOST_REQUIRE_MESSAGE(result.rows() > 0, "no rows from: " << query);
  return std::string(result.get(0, 0));
}

void EvidenceStore::set_for_new_sessions(const std::string& setting) {
  connection_->exec("ALTER DATABASE " + connection_->quote_identifier(database_.name()) + " SET " +
                    setting);
}

std::string EvidenceStore::digest_of_all_rows() {
  const auto tables = connection_->exec(
      "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) "
      "FROM information_schema.tables WHERE table_schema IN ('evidence', 'stella') "
      "AND table_type = 'BASE TABLE' ORDER BY 1");
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

ScopedRole::ScopedRole(EvidenceStore& store, const std::string& prefix)
    : store_(store), name_(prefix + "_" + std::to_string(::getpid())) {
  store_.sql().exec("DROP ROLE IF EXISTS " + name_);
  store_.sql().exec("CREATE ROLE " + name_ + " LOGIN");
}

ScopedRole::~ScopedRole() {
  try {
    store_.sql().exec("DROP OWNED BY " + name_);
    store_.sql().exec("DROP ROLE " + name_);
  } catch (...) {
    // A leftover role on the throwaway test cluster harms no other test: its name is unique.
  }
}

ProcessResult ScopedRole::stella(std::vector<std::string> args) const {
  std::vector<std::string> line = {"--database", store_.conninfo() + " user=" + name_, "--quiet"};
  line.insert(line.end(), args.begin(), args.end());
  return run_stella(line);
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

}  // namespace stella::test
