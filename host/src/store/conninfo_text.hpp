// Reading and writing libpq connection strings: quoting values, hiding passwords for display, and
// the PG* environment variables that name the same server (for psql, pg_dump, pg_restore).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stella::host {

/// `value` as a conninfo value: bare when it needs no quoting, else single-quoted with \ and '
/// escaped.
std::string quote_conninfo_value(std::string_view value);

/// The options a connection string (key=value or URI) sets, in libpq's order. Throws
/// sdk::Error(invalid_input) naming libpq's complaint when the string does not parse.
std::vector<std::pair<std::string, std::string>> parse_conninfo(const std::string& conninfo);

/// The connection string as key=value pairs with any password replaced, for messages and status.
std::string redacted_conninfo(const std::string& conninfo);

/// (PGHOST, value), (PGPORT, value), ... for every option the string sets that has an environment
/// variable.
std::vector<std::pair<std::string, std::string>> conninfo_environment(const std::string& conninfo);

}  // namespace stella::host
