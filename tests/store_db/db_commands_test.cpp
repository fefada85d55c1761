// `stella db ...` through the real CLI, against the test cluster the ctest fixture started.
#define BOOST_TEST_MODULE store_db_cli
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <filesystem>

#include "stella/host/json/json_schema.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "support/run_cli_process.hpp"
#include "support/scratch_database.hpp"

namespace fs = std::filesystem;
using stella::test::required_env;
using stella::test::run_shell;
using stella::test::run_stella;

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitRefused = 3;
constexpr const char* kStatusSchema = "db-status.schema.json";

std::string test_home() {
  return required_env("STELLA_TEST_HOME");
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError(), "not JSON: " << text);
  return document;
}

void require_schema_valid(const rapidjson::Document& document) {
  const auto problems = stella::host::schema_violations(document, kStatusSchema);
  for (const auto& problem : problems) {
    BOOST_ERROR(problem);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(url_prints_a_connection_string_that_reaches_stellaops) {
  const auto result = run_stella({"db", "url", "--home", test_home()});
  BOOST_TEST(result.exit_code == 0, result.err);
  BOOST_TEST(result.out == stella::host::EmbeddedCluster(test_home()).conninfo() + "\n");
  const std::string conninfo = result.out.substr(0, result.out.size() - 1);
  const auto connection = stella::host::PgConnection::connect(conninfo);
  BOOST_TEST(connection->exec("SELECT current_database()").get(0, 0) == "stellaops");
}

BOOST_AUTO_TEST_CASE(status_json_matches_its_schema_and_says_running) {
  const auto result = run_stella({"db", "status", "--home", test_home(), "--format", "json"});
  BOOST_TEST(result.exit_code == 0, result.err);
  const auto document = parse(result.out);
  require_schema_valid(document);
  BOOST_TEST(std::string(document["kind"].GetString()) == "embedded");
  BOOST_TEST(document["initialized"].GetBool());
  BOOST_TEST(document["running"].GetBool());
  BOOST_TEST(document["pid"].IsInt());
  BOOST_TEST(std::string(document["home"].GetString()) == fs::absolute(test_home()).string());
  BOOST_TEST(std::string(document["connectionString"].GetString()) ==
             stella::host::EmbeddedCluster(test_home()).conninfo());
}

BOOST_AUTO_TEST_CASE(status_text_names_state_and_connection) {
  const auto result = run_stella({"db", "status", "--home", test_home()});
  BOOST_TEST(result.exit_code == 0, result.err);
  BOOST_TEST(result.out.find("state:        running (pid ") != std::string::npos, result.out);
  BOOST_TEST(result.out.find("server:       PostgreSQL ") != std::string::npos, result.out);
  BOOST_TEST(
      result.out.find(stella::host::EmbeddedCluster(test_home()).conninfo()) != std::string::npos,
      result.out);
}

BOOST_AUTO_TEST_CASE(status_of_a_home_never_started_exits_zero_and_says_so) {
  const fs::path fresh = fs::path(required_env("STELLA_BUILD_DIR")) / "store-db-cli-never-started";
  fs::remove_all(fresh);
  const auto text = run_stella({"db", "status", "--home", fresh.string()});
  BOOST_TEST(text.exit_code == 0, text.err);
  BOOST_TEST(text.out.find("not created yet") != std::string::npos, text.out);
  const auto json = run_stella({"db", "status", "--home", fresh.string(), "--format", "json"});
  BOOST_TEST(json.exit_code == 0, json.err);
  const auto document = parse(json.out);
  require_schema_valid(document);
  BOOST_TEST(!document["initialized"].GetBool());
  BOOST_TEST(!document["running"].GetBool());
  BOOST_TEST(document["pid"].IsNull());
  BOOST_TEST(!fs::exists(fresh));
}

BOOST_AUTO_TEST_CASE(env_exports_let_psql_reach_the_store) {
  const auto result = run_shell(
      "eval \"$(\"$STELLA_BINARY\" db env --home \"$H\")\" && "
      "psql -X -A -t -c 'SELECT current_database(), current_user'",
      {{"H", test_home()}});
  BOOST_TEST(result.exit_code == 0, result.err);
  BOOST_TEST(result.out == "stellaops|stella\n");
}

BOOST_AUTO_TEST_CASE(env_of_an_external_uri_names_each_part) {
  const auto result = run_stella(
      {"db", "env", "--database", "postgresql://alice@db.example:6543/evidence?sslmode=require"});
  BOOST_TEST(result.exit_code == 0, result.err);
  // Host first, as an operator reads it; every value shell-quoted.
  BOOST_TEST(result.out.rfind("export PGHOST='db.example'\nexport PGPORT='6543'\n", 0) == 0,
             result.out);
  BOOST_TEST(result.out.find("export PGUSER='alice'\n") != std::string::npos, result.out);
  BOOST_TEST(result.out.find("export PGHOST='db.example'\n") != std::string::npos, result.out);
  BOOST_TEST(result.out.find("export PGPORT='6543'\n") != std::string::npos, result.out);
  BOOST_TEST(result.out.find("export PGDATABASE='evidence'\n") != std::string::npos, result.out);
  BOOST_TEST(result.out.find("export PGSSLMODE='require'\n") != std::string::npos, result.out);
}

BOOST_AUTO_TEST_CASE(url_with_database_prints_it_unchanged) {
  const std::string given = "postgresql://alice:secret@db.example:6543/evidence";
  const auto result = run_stella({"db", "url", "--database", given});
  BOOST_TEST(result.exit_code == 0, result.err);
  BOOST_TEST(result.out == given + "\n");
}

BOOST_AUTO_TEST_CASE(start_and_stop_refuse_an_external_server) {
  stella::test::ScratchDatabase database("dbcli");
  for (const char* verb : {"start", "stop"}) {
    const auto result = run_stella({"db", verb, "--database", database.conninfo()});
    BOOST_TEST(result.exit_code == kExitRefused, verb << ": " << result.err);
    BOOST_TEST(result.err.find("--database names an external server; stella only starts and "
                               "stops its embedded cluster") != std::string::npos,
               result.err);
  }
  const auto via_env = run_stella({"db", "stop"}, {{"STELLA_DATABASE", database.conninfo()}});
  BOOST_TEST(via_env.exit_code == kExitRefused, via_env.err);
  BOOST_TEST(stella::host::EmbeddedCluster(test_home()).status().running);
}

BOOST_AUTO_TEST_CASE(status_of_an_external_server_shows_its_version) {
  stella::test::ScratchDatabase database("dbcli");
  const auto text = run_stella({"db", "status", "--database", database.conninfo()});
  BOOST_TEST(text.exit_code == 0, text.err);
  BOOST_TEST(text.out.find("External PostgreSQL server") != std::string::npos, text.out);
  BOOST_TEST(text.out.find("database:     " + database.name()) != std::string::npos, text.out);
  const auto json =
      run_stella({"db", "status", "--database", database.conninfo(), "--format", "json"});
  BOOST_TEST(json.exit_code == 0, json.err);
  const auto document = parse(json.out);
  require_schema_valid(document);
  BOOST_TEST(std::string(document["kind"].GetString()) == "external");
  BOOST_TEST(std::string(document["database"].GetString()) == database.name());
}

BOOST_AUTO_TEST_CASE(status_of_an_unreachable_server_says_what_to_check) {
  const auto result =
      run_stella({"db", "status", "--database", "host=/nonexistent-stella-dir port=5999"});
  BOOST_TEST(result.exit_code == kExitRefused, result.err);
  BOOST_TEST(result.err.find("stella: error: cannot connect to PostgreSQL at "
                             "host=/nonexistent-stella-dir port=5999") != std::string::npos,
             result.err);
  BOOST_TEST(result.err.find("what to do: is the server running?") != std::string::npos,
             result.err);
  // A server named by --database is not stella's to start.
  BOOST_TEST(result.err.find("stella db start") == std::string::npos, result.err);
}

BOOST_AUTO_TEST_CASE(password_is_hidden_from_status) {
  stella::test::ScratchDatabase database("dbcli");
  const auto result = run_stella({"db", "status", "--database",
                                  database.conninfo() + " password=hunter2", "--format", "json"});
  BOOST_TEST(result.exit_code == 0, result.err);
  BOOST_TEST(result.out.find("hunter2") == std::string::npos, result.out);
  BOOST_TEST(result.out.find("password=********") != std::string::npos, result.out);
}

BOOST_AUTO_TEST_CASE(unsupported_format_is_bad_input) {
  const auto result = run_stella({"db", "status", "--home", test_home(), "--format", "html"});
  BOOST_TEST(result.exit_code == kExitBadInput, result.err);
  BOOST_TEST(result.err.find("--format is 'html'") != std::string::npos, result.err);
}

BOOST_AUTO_TEST_CASE(every_verb_has_help) {
  for (const char* verb : {"status", "start", "stop", "url", "env"}) {
    const auto result = run_stella({"db", verb, "--help"});
    BOOST_TEST(result.exit_code == 0, verb);
    BOOST_TEST(result.out.find(std::string("Usage: stella db ") + verb) != std::string::npos,
               result.out);
  }
  const auto group = run_stella({"db", "--help"});
  BOOST_TEST(group.exit_code == 0);
  BOOST_TEST(group.out.find("env") != std::string::npos, group.out);
}
