// ensure_state_schema: every embedded state file once, in order, recorded, under a lock.
#include <boost/test/unit_test.hpp>

#include <thread>

#include "audit/audit_store_fixture.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/state_schema.hpp"
#include "stella/sdk/error.hpp"

namespace {

namespace host = stella::host;
using stella::test::AuditStore;

int error_code(const stella::sdk::Error& e) {
  return static_cast<int>(e.code());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(state_schema)

BOOST_AUTO_TEST_CASE(embedded_state_files_are_numbered_and_start_with_the_audit_trail) {
  const auto files = host::embedded_state_files();
  BOOST_REQUIRE(!files.empty());
  BOOST_TEST(files.front() == "sql/state/001_audit.sql");
  BOOST_TEST(std::is_sorted(files.begin(), files.end()));
}

BOOST_AUTO_TEST_CASE(creates_every_table_and_records_every_file_once) {
  AuditStore store;
  for (const char* table : {"stella.audit_events", "stella.audit_chain_head", "stella.audit_pruned",
                            "stella.config", "stella.state_migrations"}) {
    BOOST_TEST(store.scalar("SELECT to_regclass('" + std::string(table) + "') IS NOT NULL") == "t",
               table);
  }
  const auto files = host::embedded_state_files();
  BOOST_TEST(store.count("SELECT count(*) FROM stella.state_migrations") ==
             static_cast<std::int64_t>(files.size()));
  BOOST_TEST(store.scalar("SELECT last_id || ' ' || last_hash FROM stella.audit_chain_head") ==
             "0 sha256:" + std::string(64, '0'));
  BOOST_TEST(host::audit_trail_exists(store.connection()));

  host::ensure_state_schema(store.connection());
  host::ensure_state_schema(store.connection());
  BOOST_TEST(store.count("SELECT count(*) FROM stella.state_migrations") ==
             static_cast<std::int64_t>(files.size()));
  BOOST_TEST(store.count("SELECT count(*) FROM stella.audit_chain_head") == 1);
}

BOOST_AUTO_TEST_CASE(the_config_table_holds_settings_with_who_changed_them) {
  AuditStore store;
  store.connection().exec(
      "INSERT INTO stella.config (key, value, updated_by) VALUES ('hash-algorithm', 'sha256', "
      "'alice')");
  BOOST_TEST(store.scalar("SELECT value FROM stella.config WHERE key = 'hash-algorithm'") ==
             "sha256");
  BOOST_TEST(store.scalar("SELECT updated_at IS NOT NULL FROM stella.config") == "t");
}

BOOST_AUTO_TEST_CASE(concurrent_callers_on_a_fresh_database_apply_each_file_once) {
  stella::test::ScratchDatabase database("state_race");
  constexpr int kCallers = 4;
  std::vector<std::thread> callers;
  std::vector<std::string> failures(kCallers);
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      try {
        auto connection = host::PgConnection::connect(database.conninfo());
        host::ensure_state_schema(*connection);
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  }
  for (auto& caller : callers) {
    caller.join();
  }
  for (const auto& failure : failures) {
    BOOST_TEST(failure == "");
  }
  auto connection = host::PgConnection::connect(database.conninfo());
  const auto applied = connection->exec("SELECT count(*) FROM stella.state_migrations");
  BOOST_TEST(applied.get_int64(0, 0) ==
             static_cast<std::int64_t>(host::embedded_state_files().size()));
}

BOOST_AUTO_TEST_CASE(runs_inside_the_callers_transaction_and_rolls_back_with_it) {
  stella::test::ScratchDatabase database("state_tx");
  auto connection = host::PgConnection::connect(database.conninfo());
  {
    host::PgTransaction transaction(*connection);
    host::ensure_state_schema(*connection);
    BOOST_TEST(host::audit_trail_exists(*connection));
  }
  BOOST_TEST(!host::audit_trail_exists(*connection));
}

BOOST_AUTO_TEST_CASE(a_store_written_by_a_newer_stella_is_refused) {
  AuditStore store;
  store.connection().exec(
      "INSERT INTO stella.state_migrations (name, sha256) VALUES ('999_future.sql', 'x')");
  BOOST_CHECK_EXCEPTION(
      host::ensure_state_schema(store.connection()), stella::sdk::Error,
      [](const stella::sdk::Error& e) {
        BOOST_TEST(error_code(e) == static_cast<int>(stella::sdk::ErrorCode::refused));
        return std::string(e.what()).find("'999_future.sql'") != std::string::npos;
      });
}

BOOST_AUTO_TEST_CASE(an_applied_file_whose_content_changed_is_refused) {
  AuditStore store;
  store.connection().exec(
      "UPDATE stella.state_migrations SET sha256 = repeat('0', 64) WHERE name = '001_audit.sql'");
  BOOST_CHECK_EXCEPTION(host::ensure_state_schema(store.connection()), stella::sdk::Error,
                        [](const stella::sdk::Error& e) {
                          return std::string(e.what()).find(
                                     "state file '001_audit.sql' was "
                                     "applied") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_SUITE_END()
