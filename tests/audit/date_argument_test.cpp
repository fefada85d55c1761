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

BOOST_AUTO_TEST_SUITE_END()
