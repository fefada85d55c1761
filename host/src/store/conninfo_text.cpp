#include "store/conninfo_text.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <memory>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::string_view kPasswordKeyword = "password";
constexpr std::string_view kRedactedPassword = "********";

struct ConninfoOptionsDeleter {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using ConninfoOptions = std::unique_ptr<PQconninfoOption, ConninfoOptionsDeleter>;

ConninfoOptions parse_or_throw(const std::string& conninfo) {
  char* error = nullptr;
  ConninfoOptions options(PQconninfoParse(conninfo.c_str(), &error));
  if (!options) {
    std::string why = error != nullptr ? error : "libpq is out of memory";
    PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) {
      why.pop_back();
    }
    throw sdk::Error(sdk::ErrorCode::invalid_input, "the connection string is not valid: " + why,
                     "give a libpq key=value string (\"host=/run/postgresql dbname=stellaops\") or "
                     "a URI (\"postgresql://user@host:5432/stellaops\")");
  }
  return options;
}

}  // namespace

std::string quote_conninfo_value(std::string_view value) {
  const bool needs_quotes =
      value.empty() || value.find_first_of(" \t\r\n'\\") != std::string_view::npos;
  if (!needs_quotes) {
    return std::string(value);
  }
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "'";
}

std::vector<std::pair<std::string, std::string>> parse_conninfo(const std::string& conninfo) {
  const ConninfoOptions options = parse_or_throw(conninfo);
  std::vector<std::pair<std::string, std::string>> result;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val != nullptr) {
      result.emplace_back(option->keyword, option->val);
    }
  }
  return result;
}

std::string redacted_conninfo(const std::string& conninfo) {
  std::string text;
  for (const auto& [keyword, value] : parse_conninfo(conninfo)) {
    if (!text.empty()) {
      text += ' ';
    }
    text += keyword + "=" +
            (keyword == kPasswordKeyword ? std::string(kRedactedPassword)
                                         : quote_conninfo_value(value));
  }
  return text;
}

std::vector<std::pair<std::string, std::string>> conninfo_environment(const std::string& conninfo) {
  const ConninfoOptions options = parse_or_throw(conninfo);
  std::vector<std::pair<std::string, std::string>> result;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val != nullptr && option->envvar != nullptr) {
      result.emplace_back(option->envvar, option->val);
    }
  }
  // Where, then who, then which database, as people write them; the rest in libpq's order.
  static const std::vector<std::string> kFirst = {"PGHOST", "PGPORT", "PGUSER", "PGDATABASE"};
  const auto rank = [](const std::string& variable) {
    return std::find(kFirst.begin(), kFirst.end(), variable) - kFirst.begin();
  };
  std::stable_sort(result.begin(), result.end(),
                   [&rank](const auto& a, const auto& b) { return rank(a.first) < rank(b.first); });
  return result;
}

}  // namespace stella::host
