// PgConnection against a real PostgreSQL: parameters (text, NULL, binary bytea, text[] literals),
// the SDK's Database, transactions, connection failures.
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include <regex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"
#include "store_db/error_code_printing.hpp"
#include "support/scratch_database.hpp"

using stella::host::PgConnection;
using stella::host::PgParam;
using stella::host::PgTransaction;
using stella::sdk::Error;
using stella::sdk::ErrorCode;

namespace {

/// Every byte value, NUL included, so that no text conversion can pass unnoticed.
std::string all_byte_values() {
  std::string bytes;
  constexpr int kByteValues = 256;
  for (int value = 0; value < kByteValues; ++value) {
    bytes += static_cast<char>(value);
  }
  return bytes;
}

std::int64_t count_rows(PgConnection& connection, const std::string& table) {
  return connection.exec("SELECT count(*) FROM " + table).get_int64(0, 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pg_connection)

BOOST_AUTO_TEST_CASE(text_parameters_round_trip_including_null) {
  stella::test::ScratchDatabase database("pgconn");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("CREATE TABLE item (id bigint PRIMARY KEY, name text, note text)");
  connection->exec("INSERT INTO item VALUES ($1, $2, $3)", {"7", "seven", std::nullopt});
  connection->exec("INSERT INTO item VALUES ($1, $2, $3)", {"8", "it's \"quoted\"; DROP", "x"});

  const auto result = connection->exec("SELECT id, name, note FROM item ORDER BY id");
  BOOST_TEST(result.rows() == 2);
  BOOST_TEST(result.columns() == 3);
  BOOST_TEST(result.column_name(1) == "name");
  BOOST_TEST(result.get_int64(0, 0) == 7);
  BOOST_TEST(result.get(0, 1) == "seven");
  BOOST_TEST(result.is_null(0, 2));
  BOOST_TEST(!result.get_optional(0, 2).has_value());
  BOOST_TEST(result.get(1, 1) == "it's \"quoted\"; DROP");
  BOOST_TEST(result.get_optional(1, 2).value() == "x");
  BOOST_CHECK_THROW(result.get(2, 0), Error);
  BOOST_CHECK_THROW(result.get_int64(0, 1), Error);

  const auto updated = connection->exec("UPDATE item SET note = $1", {"n"});
  BOOST_TEST(updated.affected_rows() == 2);
}

BOOST_AUTO_TEST_CASE(a_text_array_literal_reaches_the_server_element_for_element) {
  stella::test::ScratchDatabase database("pgarray");
  const auto connection = PgConnection::connect(database.conninfo());
  const std::vector<std::string> items = {"plain", "with,comma", "q\"uote", "back\\slash",
                                          "",      "{braces}",   "NULL"};
  const auto result = connection->exec(
      "SELECT cardinality(a), a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[7] IS NULL "
      "FROM (SELECT $1::text[] AS a) s",
      {stella::host::text_array_literal(items)});
  BOOST_TEST(result.get_int64(0, 0) == 7);
  for (int i = 0; i < 7; ++i) {
    BOOST_TEST(result.get(0, i + 1) == items[static_cast<std::size_t>(i)]);
  }
  // Quoted, "NULL" is the text NULL, not a null element.
  BOOST_TEST(result.get(0, 8) == "f");
  BOOST_TEST(stella::host::text_array_literal({}) == "{}");
}

BOOST_AUTO_TEST_CASE(the_sqlstate_of_a_server_error_is_recognised) {
  stella::test::ScratchDatabase database("pgstate");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("CREATE TABLE item (id bigint PRIMARY KEY)");
  connection->exec("INSERT INTO item VALUES (1)");
  try {
    connection->exec("INSERT INTO item VALUES (1)");
    BOOST_FAIL("a duplicate key was accepted");
  } catch (const Error& error) {
    BOOST_TEST(stella::host::reports_sqlstate(error, "23505"), error.what());
    BOOST_TEST(!stella::host::reports_sqlstate(error, "23503"), error.what());
  }
  BOOST_TEST(
      !stella::host::reports_sqlstate(Error(ErrorCode::internal, "no server involved"), "23505"));
}

BOOST_AUTO_TEST_CASE(a_server_out_of_resources_gets_a_hint_of_what_to_free) {
  // The server's own errors, raised with their SQLSTATE as the server raises them when a disk
  // fills, memory runs out or connection slots are gone.
  stella::test::ScratchDatabase database("pgfull");
  const auto connection = PgConnection::connect(database.conninfo());
  for (const auto& [condition, hint] :
       {std::pair{"disk_full", "no space left for its files"},
        std::pair{"out_of_memory", "ran out of memory"},
        std::pair{"too_many_connections", "no free connection slot (max_connections)"}}) {
    try {
      connection->exec(std::string("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '") + condition +
                       "', MESSAGE = 'the server is out of it'; END $$");
      BOOST_FAIL("RAISE did not raise");
    } catch (const Error& error) {
      BOOST_TEST(error.hint().find(hint) != std::string::npos, condition << ": " << error.hint());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_lost_session_is_recognised_after_a_statement_and_a_copy) {
  stella::test::ScratchDatabase database("pglost");
  const auto observer = PgConnection::connect(database.conninfo());
  const auto terminate = [&observer](PgConnection& victim) {
    observer->exec("SELECT pg_terminate_backend($1::int)", {std::to_string(victim.backend_pid())});
  };
  const auto statement = PgConnection::connect(database.conninfo());
  terminate(*statement);
  try {
    statement->exec("SELECT 1");
    BOOST_FAIL("a statement on a terminated session succeeded");
  } catch (const Error& error) {
    BOOST_TEST(stella::host::reports_lost_connection(error), error.what());
  }
  const auto copy = PgConnection::connect(database.conninfo());
  copy->exec("CREATE TABLE item (id bigint)");
  copy->copy_in_start("COPY item FROM STDIN");
  terminate(*copy);
  try {
    // The first pieces still fit the socket's buffers; sending fails once they are full.
    const std::string rows = [] {
      std::string text;
      for (int row = 0; row < 100'000; ++row) {
        text += std::to_string(row) + "\n";
      }
      return text;
    }();
    for (int piece = 0; piece < 200; ++piece) {
      copy->copy_in_put(rows);
    }
    copy->copy_in_finish();
    BOOST_FAIL("a COPY on a terminated session succeeded");
  } catch (const Error& error) {
    BOOST_TEST(stella::host::reports_lost_connection(error), error.what());
  }
  const auto reader = PgConnection::connect(database.conninfo());
  try {
    bool first_row = true;
    reader->copy_out("COPY (SELECT generate_series(1, 10000000)) TO STDOUT", [&](std::string_view) {
      if (std::exchange(first_row, false)) {
        terminate(*reader);
      }
    });
    BOOST_FAIL("a COPY out of a terminated session ended normally");
  } catch (const Error& error) {
    BOOST_TEST(stella::host::reports_lost_connection(error), error.what());
  }
  // A server error on a live session is no lost connection.
  try {
    observer->exec("SELECT no_such_column FROM item");
    BOOST_FAIL("a bad statement succeeded");
  } catch (const Error& error) {
    BOOST_TEST(!stella::host::reports_lost_connection(error), error.what());
  }
}

BOOST_AUTO_TEST_CASE(binary_bytea_parameter_and_binary_result_keep_every_byte) {
  stella::test::ScratchDatabase database("pgconn");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("CREATE TABLE blob (id int, payload bytea)");
  const std::string bytes = all_byte_values();
  connection->exec_params("INSERT INTO blob VALUES ($1, $2)",
                          {PgParam{"1", false}, PgParam{bytes, true}});
  connection->exec_params("INSERT INTO blob VALUES ($1, $2)",
                          {PgParam{"2", false}, PgParam{std::nullopt, true}});

  const auto binary = connection->exec_params("SELECT payload FROM blob WHERE id = $1",
                                              {PgParam{"1", false}}, true);
  BOOST_TEST(binary.get(0, 0) == bytes);
  // The server's own view of the bytes, compared with their hex spelling made here.
  std::string hex;
  static constexpr char kHexDigits[] = "0123456789abcdef";
  for (const char c : bytes) {
    hex += kHexDigits[static_cast<unsigned char>(c) >> 4];
    hex += kHexDigits[static_cast<unsigned char>(c) & 0x0f];
  }
  BOOST_TEST(connection->exec("SELECT payload = decode($1, 'hex') FROM blob WHERE id = 1", {hex})
                 .get(0, 0) == "t");
  const auto null_row = connection->exec_params("SELECT payload FROM blob WHERE id = 2", {}, true);
  BOOST_TEST(null_row.is_null(0, 0));
  const auto text =
      connection->exec("SELECT substring(payload from 1 for 3) FROM blob WHERE id = 1");
  BOOST_TEST(text.get(0, 0) == "\\x000102");
}

BOOST_AUTO_TEST_CASE(sdk_database_query_execute_and_script) {
  stella::test::ScratchDatabase database("pgconn");
  const auto connection = PgConnection::connect(database.conninfo());
  stella::sdk::Database& sdk_database = *connection;
  sdk_database.execute_script(
      "CREATE TABLE a (id int);\n"
      "CREATE TABLE b (id int, label text);\n"
      "INSERT INTO a VALUES (1), (2), (3);");
  BOOST_TEST(sdk_database.execute("INSERT INTO b SELECT id, $1 FROM a", {"copied"}) == 3);
  const auto result = sdk_database.query(
      "SELECT id, label, NULL::text AS nothing FROM b WHERE id >= $1 "
      "ORDER BY id",
      {"2"});
  BOOST_TEST(result.columns == (std::vector<std::string>{"id", "label", "nothing"}));
  BOOST_REQUIRE(result.rows.size() == 2);
  BOOST_TEST(*result.rows[0][0] == "2");
  BOOST_TEST(*result.rows[1][1] == "copied");
  BOOST_TEST(!result.rows[1][2].has_value());
  BOOST_TEST(sdk_database.execute("DELETE FROM b WHERE id = $1", {"1"}) == 1);
}

BOOST_AUTO_TEST_CASE(script_error_names_the_failing_statement) {
  stella::test::ScratchDatabase database("pgconn");
  const auto connection = PgConnection::connect(database.conninfo());
  try {
    connection->execute_script("CREATE TABLE c (id int);\nINSERT INTO c VALUES ('not a number');");
    BOOST_FAIL("the script should have failed");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::internal);
    BOOST_TEST(std::string(e.what()).find("22P02") != std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("CREATE TABLE c (id int); ...") != std::string::npos,
               e.what());
  }
  // The script ran as one implicit transaction: the table from its first statement is gone too.
  BOOST_TEST(connection->exec("SELECT to_regclass('c') IS NULL").get(0, 0) == "t");
}

BOOST_AUTO_TEST_CASE(transaction_rolled_back_leaves_nothing) {
  stella::test::ScratchDatabase database("pgconn");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("CREATE TABLE t (id int)");
  {
    PgTransaction transaction(*connection);
    BOOST_TEST(connection->in_transaction());
    connection->exec("INSERT INTO t VALUES (1), (2)");
    BOOST_TEST(count_rows(*connection, "t") == 2);
  }  // no commit: rolled back
  BOOST_TEST(!connection->in_transaction());
  BOOST_TEST(count_rows(*connection, "t") == 0);

  connection->begin();
  connection->exec("INSERT INTO t VALUES (3)");
  connection->rollback();
  BOOST_TEST(count_rows(*connection, "t") == 0);

  {
    PgTransaction transaction(*connection);
    connection->exec("INSERT INTO t VALUES (4)");
    transaction.commit();
  }
  BOOST_TEST(count_rows(*connection, "t") == 1);
}

BOOST_AUTO_TEST_CASE(commit_after_a_failed_statement_refuses_and_keeps_nothing) {
  stella::test::ScratchDatabase database("pgconn");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("CREATE TABLE t (id int PRIMARY KEY)");
  connection->begin();
  connection->exec("INSERT INTO t VALUES (1)");
  BOOST_CHECK_THROW(connection->exec("INSERT INTO t VALUES (1)"), Error);  // duplicate key
  BOOST_TEST(connection->in_transaction());
  try {
    connection->commit();
    BOOST_FAIL("commit of a failed transaction should throw");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()).find("nothing was committed") != std::string::npos, e.what());
  }
  BOOST_TEST(!connection->in_transaction());
  BOOST_TEST(count_rows(*connection, "t") == 0);
}

BOOST_AUTO_TEST_CASE(session_settings_backend_pid_and_identifier_quoting) {
  stella::test::ScratchDatabase database("pgconn");
  const auto connection = PgConnection::connect(database.conninfo());
  BOOST_TEST(connection->exec("SHOW application_name").get(0, 0) == "stella");
  BOOST_TEST(connection->exec("SHOW client_min_messages").get(0, 0) == "warning");
  BOOST_TEST(connection->backend_pid() > 0);
  BOOST_TEST(connection->exec("SELECT pg_backend_pid()").get_int64(0, 0) ==
             connection->backend_pid());
  BOOST_TEST(connection->quote_identifier("odd \"name\"") == "\"odd \"\"name\"\"\"");
  connection->exec("CREATE TABLE " + connection->quote_identifier("odd \"name\"") + " (x int)");
  BOOST_TEST(connection->exec("SELECT count(*) FROM pg_class WHERE relname = $1", {"odd \"name\""})
                 .get_int64(0, 0) == 1);
  // A NOTICE ("does not exist, skipping") is not an error and must not fail the statement.
  BOOST_CHECK_NO_THROW(connection->exec("DROP TABLE IF EXISTS no_such_table"));
}

BOOST_AUTO_TEST_CASE(settings_stella_relies_on_override_the_database_and_role_defaults) {
  stella::test::ScratchDatabase database("pgconn_settings");
  {
    const auto admin = PgConnection::connect(database.conninfo());
    const std::string name = admin->quote_identifier(database.name());
    for (const char* setting :
         {"standard_conforming_strings = off", "lock_timeout = '1s'", "statement_timeout = '1s'",
          "idle_session_timeout = '1s'", "idle_in_transaction_session_timeout = '1s'"}) {
      admin->exec("ALTER DATABASE " + name + " SET " + std::string(setting));
    }
  }
  const auto connection = PgConnection::connect(database.conninfo());
  for (const auto& [setting, value] : std::vector<std::pair<std::string, std::string>>{
           {"standard_conforming_strings", "on"},
           {"lock_timeout", "0"},
           {"statement_timeout", "0"},
           {"idle_session_timeout", "0"},
           {"idle_in_transaction_session_timeout", "0"},
           {"client_min_messages", "warning"}}) {
    BOOST_TEST(connection->exec("SHOW " + setting).get(0, 0) == value, setting);
  }
  // A setting of the connection string's own options is the user's and is kept.
  const auto with_options =
      PgConnection::connect(database.conninfo() + " options='-c search_path=pg_catalog'");
  BOOST_TEST(with_options->exec("SHOW search_path").get(0, 0) == "pg_catalog");
  BOOST_TEST(with_options->exec("SHOW lock_timeout").get(0, 0) == "0");
}

BOOST_AUTO_TEST_CASE(unreachable_server_is_refused_with_what_to_check) {
  try {
    PgConnection::connect("host=/nonexistent-stella-socket-dir port=5999 dbname=stellaops");
    BOOST_FAIL("connecting to a missing socket should fail");
  } catch (const Error& e) {
    const std::string message = e.what();
    BOOST_TEST(e.code() == ErrorCode::refused);
    BOOST_TEST(message.find("cannot connect to PostgreSQL at host=/nonexistent-stella-socket-dir "
                            "port=5999 dbname=stellaops") != std::string::npos,
               message);
    BOOST_TEST(message.find('\n') == std::string::npos, message);
    BOOST_TEST(e.hint().find("is the server running? `stella db status`") != std::string::npos);
    BOOST_TEST(e.hint().find("--database or STELLA_DATABASE") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_server_that_answers_is_not_asked_whether_it_runs) {
  // The test cluster runs; what it says decides the remedy.
  stella::test::ScratchDatabase database("pghint");
  const std::string missing_database =
      std::regex_replace(database.conninfo(), std::regex("dbname=[^ ]+"), "dbname=no_such_db");
  const std::string missing_role =
      std::regex_replace(database.conninfo(), std::regex("user=[^ ]+"), "") + " user=no_such_role";
  for (const auto& [conninfo, said, remedy] :
       {std::tuple<std::string, std::string, std::string>{
            missing_database, "database \"no_such_db\" does not exist",
            "the server is running but has no database 'no_such_db': name the database that "
            "holds the store with --database or STELLA_DATABASE, or create it (createdb "
            "no_such_db; then `stella evidence init`)"},
        {missing_role, "role \"no_such_role\" does not exist",
         "the server is running but has no role 'no_such_role'"}}) {
    try {
      PgConnection::connect(conninfo);
      BOOST_FAIL("connecting with " + conninfo + " should fail");
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::refused);
      BOOST_TEST(std::string(e.what()).find(said) != std::string::npos, e.what());
      BOOST_TEST(e.hint().find(remedy) != std::string::npos, e.hint());
      BOOST_TEST(e.hint().find("is the server running?") == std::string::npos, e.hint());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_server_that_refuses_the_login_points_at_its_configuration) {
  // A role without LOGIN is refused by the running server with a FATAL, as a pg_hba.conf
  // "reject" line or an sslmode it does not serve would be: starting a server helps none of them.
  stella::test::ScratchDatabase database("pghint_login");
  const std::string role = "stella_test_nologin_" + std::to_string(::getpid());
  const auto admin = PgConnection::connect(database.conninfo());
  admin->exec("DROP ROLE IF EXISTS " + role);
  admin->exec("CREATE ROLE " + role + " NOLOGIN");
  try {
    PgConnection::connect(database.conninfo() + " user=" + role);
    BOOST_FAIL("a role without LOGIN should be refused");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::refused);
    BOOST_TEST(std::string(e.what()).find("is not permitted to log in") != std::string::npos,
               e.what());
    BOOST_TEST(
        e.hint().find("the server is running but refused this connection") != std::string::npos,
        e.hint());
    BOOST_TEST(e.hint().find("pg_hba.conf") != std::string::npos, e.hint());
    BOOST_TEST(e.hint().find("stella db start") == std::string::npos, e.hint());
  }
  admin->exec("DROP ROLE " + role);
}

BOOST_AUTO_TEST_CASE(malformed_connection_string_is_bad_input) {
  try {
    PgConnection::connect("host=/tmp dbname");
    BOOST_FAIL("a malformed connection string should fail");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::invalid_input);
    BOOST_TEST(std::string(e.what()).find("connection string is not valid") != std::string::npos,
               e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
