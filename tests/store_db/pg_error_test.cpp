// How server errors become sdk::Error codes and messages.
#include <boost/test/unit_test.hpp>

#include <string>

#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"
#include "store/pg_error.hpp"
#include "store_db/error_code_printing.hpp"
#include "support/scratch_database.hpp"

using stella::host::PgConnection;
using stella::sdk::Error;
using stella::sdk::ErrorCode;

BOOST_AUTO_TEST_SUITE(pg_error)

BOOST_AUTO_TEST_CASE(sqlstate_classes_map_to_codes) {
  using stella::host::error_code_for_sqlstate;
  BOOST_TEST(error_code_for_sqlstate("40001") == ErrorCode::refused);   // serialization_failure
  BOOST_TEST(error_code_for_sqlstate("40P01") == ErrorCode::refused);   // deadlock_detected
  BOOST_TEST(error_code_for_sqlstate("55P03") == ErrorCode::refused);   // lock_not_available
  BOOST_TEST(error_code_for_sqlstate("57014") == ErrorCode::refused);   // query_canceled
  BOOST_TEST(error_code_for_sqlstate("08006") == ErrorCode::refused);   // connection_failure
  BOOST_TEST(error_code_for_sqlstate("57P01") == ErrorCode::refused);   // admin_shutdown
  BOOST_TEST(error_code_for_sqlstate("42601") == ErrorCode::internal);  // syntax_error
  BOOST_TEST(error_code_for_sqlstate("23505") == ErrorCode::internal);  // unique_violation
  BOOST_TEST(error_code_for_sqlstate("55000") == ErrorCode::internal);  // object_not_in_state
  BOOST_TEST(error_code_for_sqlstate("") == ErrorCode::internal);
}

BOOST_AUTO_TEST_CASE(statement_first_line_is_short_and_marks_what_was_cut) {
  using stella::host::statement_first_line;
  BOOST_TEST(statement_first_line("  SELECT 1") == "SELECT 1");
  BOOST_TEST(statement_first_line("\nSELECT a\nFROM t") == "SELECT a ...");
  BOOST_TEST(statement_first_line(std::string(500, 'x')).size() == 124);
}

BOOST_AUTO_TEST_CASE(syntax_error_is_internal_with_sqlstate_and_statement) {
  stella::test::ScratchDatabase database("pgerror");
  const auto connection = PgConnection::connect(database.conninfo());
  try {
    connection->exec("SELEKT 1\nFROM nowhere");
    BOOST_FAIL("a syntax error should throw");
  } catch (const Error& e) {
    const std::string message = e.what();
    BOOST_TEST(e.code() == ErrorCode::internal);
    BOOST_TEST(message.find("syntax error at or near \"SELEKT\"") != std::string::npos, message);
    BOOST_TEST(message.find("[SQLSTATE 42601]") != std::string::npos, message);
    BOOST_TEST(message.find("in statement: SELEKT 1 ...") != std::string::npos, message);
  }
}

BOOST_AUTO_TEST_CASE(lock_not_available_is_refused) {
  stella::test::ScratchDatabase database("pgerror");
  const auto holder = PgConnection::connect(database.conninfo());
  const auto waiter = PgConnection::connect(database.conninfo());
  holder->exec("CREATE TABLE guarded (id int)");
  holder->begin();
  holder->exec("LOCK TABLE guarded IN ACCESS EXCLUSIVE MODE");
  waiter->begin();
  try {
    waiter->exec("LOCK TABLE guarded IN ACCESS EXCLUSIVE MODE NOWAIT");
    BOOST_FAIL("NOWAIT on a held lock should throw");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::refused);
    BOOST_TEST(std::string(e.what()).find("[SQLSTATE 55P03]") != std::string::npos, e.what());
    BOOST_TEST(e.hint().find("conflicting lock") != std::string::npos, e.hint());
  }
  waiter->rollback();
  holder->rollback();
}

BOOST_AUTO_TEST_CASE(cancelled_statement_is_refused) {
  stella::test::ScratchDatabase database("pgerror");
  const auto connection = PgConnection::connect(database.conninfo());
  connection->exec("SET statement_timeout = 1");
  try {
    // Long enough that the one-millisecond timeout always fires first.
    connection->exec("SELECT pg_sleep(30)");
    BOOST_FAIL("statement_timeout should cancel the statement");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::refused);
    BOOST_TEST(std::string(e.what()).find("[SQLSTATE 57014]") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(terminated_session_is_refused_as_connection_lost) {
  stella::test::ScratchDatabase database("pgerror");
  const auto victim = PgConnection::connect(database.conninfo());
  const auto admin = PgConnection::connect(database.conninfo());
  admin->exec("SELECT pg_terminate_backend($1)", {std::to_string(victim->backend_pid())});
  try {
    victim->exec("SELECT 1");
    BOOST_FAIL("a terminated session should fail");
  } catch (const Error& e) {
    // Either the server's goodbye (57P01 admin_shutdown) or the closed socket is what libpq sees
    // first; both are a lost connection.
    const std::string message = e.what();
    BOOST_TEST(e.code() == ErrorCode::refused);
    BOOST_TEST((message.find("57P01") != std::string::npos ||
                message.find("connection lost") != std::string::npos),
               message);
  }
}

BOOST_AUTO_TEST_SUITE_END()
