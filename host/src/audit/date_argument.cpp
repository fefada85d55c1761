#include "stella/host/audit/date_argument.hpp"

#include <chrono>
#include <regex>
#include <string>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr const char* kAcceptedForms =
    "expected a date like 2024-01-31 (midnight UTC) or an RFC 3339 time like "
    "2024-01-31T13:45:00Z or 2024-01-31T13:45:00+02:00";

constexpr int kHoursPerDay = 24;
constexpr int kMinutesPerHour = 60;
constexpr int kSecondsPerMinute = 60;
/// PostgreSQL's limits, below RFC 3339's: a UTC offset of at most 15:59, and times in microseconds
/// (more digits would be rounded, so a --since could take in an event before the time given).
constexpr int kLargestOffsetHours = 15;
constexpr std::size_t kLargestFraction = 7;  // the dot and six digits

[[noreturn]] void reject(std::string_view flag, std::string_view text, std::string_view why) {
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   std::string(flag) + " is '" + std::string(text) + "'" + std::string(why) + "; " +
                       kAcceptedForms,
                   "for example: " + std::string(flag) + " 2024-01-31");
}

int number(const std::ssub_match& match) {
  return std::stoi(match.str());
}

void require_calendar_day(std::string_view flag, std::string_view text, int year, int month,
                          int day) {
  if (year < 1) {
    reject(flag, text, ", a year before 1 (PostgreSQL has no year 0)");
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    reject(flag, text, ", which is not a day of the calendar");
  }
}

}  // namespace

std::string parse_date_argument(std::string_view text, std::string_view flag) {
  static const std::regex date_only(R"((\d{4})-(\d{2})-(\d{2}))");
  static const std::regex date_time(
      R"((\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2})))");
  const std::string value(text);
  std::smatch match;
  if (std::regex_match(value, match, date_only)) {
    require_calendar_day(flag, text, number(match[1]), number(match[2]), number(match[3]));
    return value + "T00:00:00Z";
  }
  if (!std::regex_match(value, match, date_time)) {
    reject(flag, text, "");
  }
  require_calendar_day(flag, text, number(match[1]), number(match[2]), number(match[3]));
  if (number(match[4]) >= kHoursPerDay || number(match[5]) >= kMinutesPerHour ||
      number(match[6]) >= kSecondsPerMinute) {
    reject(flag, text, ", which is not a time of day");
  }
  const bool has_offset = match[9].matched;
  if (has_offset &&
      (number(match[9]) > kLargestOffsetHours || number(match[10]) >= kMinutesPerHour)) {
    reject(flag, text, ", whose UTC offset is out of range (at most 15:59 either way)");
  }
  if (match[7].length() > static_cast<std::ptrdiff_t>(kLargestFraction)) {
    reject(flag, text, ", finer than the microseconds times are kept in (at most 6 digits)");
  }
  std::string canonical = match[1].str() + "-" + match[2].str() + "-" + match[3].str() + "T" +
                          match[4].str() + ":" + match[5].str() + ":" + match[6].str() +
                          match[7].str();
  canonical += has_offset ? match[8].str() : std::string("Z");
  return canonical;
}

}  // namespace stella::host
