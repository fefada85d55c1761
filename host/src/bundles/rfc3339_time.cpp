#include "bundles/rfc3339_time.hpp"

#include <chrono>

#include "stella/host/evidence/pg_binary_copy.hpp"

namespace stella::host {
namespace {

constexpr std::size_t kSecondsLength = 19;  // "YYYY-MM-DDTHH:MM:SS"
constexpr int kMaxFractionDigits = 6;
constexpr int kDecimal = 10;
constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr int kLastHour = 23;
constexpr int kLastMinute = 59;
constexpr int kLastSecond = 59;
constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kSecondsPerHour = 3600;
constexpr std::int64_t kSecondsPerMinute = 60;

std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    value = value * kDecimal + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_utc_micros(std::string_view text) {
  if (text.size() < kSecondsLength + 1 || text.back() != 'Z' || text[4] != '-' || text[7] != '-' ||
      text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 5, 2);
  const auto day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2);
  const auto minute = digits(text, 14, 2);
  const auto second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || *hour > kLastHour ||
      *minute > kLastMinute || *second > kLastSecond) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  std::int64_t micros = 0;
  const std::string_view rest = text.substr(kSecondsLength, text.size() - kSecondsLength - 1);
  if (!rest.empty()) {
    const std::size_t fraction_digits = rest.size() - 1;
    if (rest[0] != '.' || fraction_digits == 0 || fraction_digits > kMaxFractionDigits) {
      return std::nullopt;
    }
    const auto fraction = digits(rest, 1, fraction_digits);
    if (!fraction) {
      return std::nullopt;
    }
    micros = *fraction;
    for (std::size_t i = fraction_digits; i < kMaxFractionDigits; ++i) {
      micros *= kDecimal;
    }
  }
  const auto days = std::chrono::sys_days(date).time_since_epoch().count();
  const std::int64_t seconds = static_cast<std::int64_t>(days) * kSecondsPerDay +
                               *hour * kSecondsPerHour + *minute * kSecondsPerMinute + *second;
  return seconds * kMicrosPerSecond + micros;
}

std::string rfc3339_utc_as_stored(std::string_view text) {
  const auto micros = parse_rfc3339_utc_micros(text);
  return micros ? iso8601_from_unix_micros(*micros) : std::string(text);
}

}  // namespace stella::host
