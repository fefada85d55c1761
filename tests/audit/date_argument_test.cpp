// --since / --before: calendar dates and RFC 3339 times in, session-independent text out.
#include <boost/test/unit_test.hpp>

#include "stella/host/audit/date_argument.hpp"
#include "stella/sdk/error.hpp"

namespace {

using stella::host::parse_date_argument;

std::string rejection(const std::string& text) {
  try {
    parse_date_argument(text, "--since");
    return "";
  } catch (const stella::sdk::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) ==
               static_cast<int>(stella::sdk::ErrorCode::invalid_input));
    BOOST_TEST(e.hint().find("--since 2024-01-31") != std::string::npos);
    return e.what();
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(date_argument)

BOOST_AUTO_TEST_CASE(a_calendar_date_is_midnight_utc) {
  BOOST_TEST(parse_date_argument("2024-01-31", "--since") == "2024-01-31T00:00:00Z");
  BOOST_TEST(parse_date_argument("2024-02-29", "--since") == "2024-02-29T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(rfc3339_times_keep_their_offset_and_fraction) {
  BOOST_TEST(parse_date_argument("2024-01-31T13:45:00Z", "--since") == "2024-01-31T13:45:00Z");
  BOOST_TEST(parse_date_argument("2024-01-31t13:45:00z", "--since") == "2024-01-31T13:45:00Z");
  BOOST_TEST(parse_date_argument("2024-01-31 13:45:00.25+02:00", "--since") ==
             "2024-01-31T13:45:00.25+02:00");
  BOOST_TEST(parse_date_argument("2024-01-31T13:45:00-05:30", "--since") ==
             "2024-01-31T13:45:00-05:30");
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused_with_an_example) {
  for (const char* bad : {"yesterday", "2024-1-31", "31/01/2024", "2024-01-31T13:45", "",
                          "2024-01-31T13:45:00", "2024-01-31T13:45:00+0200"}) {
    const std::string message = rejection(bad);
    BOOST_TEST(message.find("--since is '" + std::string(bad) + "'") != std::string::npos, message);
    BOOST_TEST(message.find("2024-01-31T13:45:00Z") != std::string::npos, message);
  }
}

BOOST_AUTO_TEST_CASE(days_and_times_that_do_not_exist_are_refused) {
  BOOST_TEST(rejection("2023-02-29").find("not a day of the calendar") != std::string::npos);
  BOOST_TEST(rejection("2024-13-01").find("not a day of the calendar") != std::string::npos);
  BOOST_TEST(rejection("2024-04-31T00:00:00Z").find("not a day of the calendar") !=
             std::string::npos);
  BOOST_TEST(rejection("2024-01-31T24:00:00Z").find("not a time of day") != std::string::npos);
  BOOST_TEST(rejection("2024-01-31T12:60:00Z").find("not a time of day") != std::string::npos);
  BOOST_TEST(rejection("2024-01-31T12:00:00+25:00").find("offset") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(what_postgresql_cannot_take_is_refused_here_not_by_the_server) {
  // Valid RFC 3339, but PostgreSQL refuses it (a raw SQL error, exit 3) or rounds it.
  BOOST_TEST(rejection("0000-01-01").find("no year 0") != std::string::npos);
  BOOST_TEST(rejection("2026-12-06T00:00:00-23:59").find("at most 15:59") != std::string::npos);
  BOOST_TEST(rejection("2026-12-06T02:50:30.1069301Z").find("at most 6 digits") !=
             std::string::npos);
  BOOST_TEST(stella::host::parse_date_argument("2026-12-06T00:00:00-15:59", "--since") ==
             "2026-12-06T00:00:00-15:59");
  BOOST_TEST(stella::host::parse_date_argument("2026-12-06T02:50:30.106930Z", "--since") ==
             "2026-12-06T02:50:30.106930Z");
}

BOOST_AUTO_TEST_SUITE_END()
