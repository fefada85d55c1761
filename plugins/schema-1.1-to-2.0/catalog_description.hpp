// A schema's catalog as sorted lines of text, so that two schemas can be compared line by line:
// its comment, relations (with row-level security flags), columns (type, nullability, default,
// collation, position among the live columns), constraints, indexes, policies and triggers.
// Dropped columns leave no trace and positions count live columns only, so a table that lost and
// regained columns compares equal to one created with them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stella/sdk/database.hpp"

namespace stella_schema_contract {

/// The catalog of the PostgreSQL schema named `schema`, one line per object, sorted bytewise.
std::vector<std::string> describe_catalog(stella::sdk::Database& database, std::string_view schema);

/// The lines only in `expected` (prefixed "missing: ") and only in `actual` ("unexpected: ").
std::vector<std::string> catalog_differences(const std::vector<std::string>& expected,
                                             const std::vector<std::string>& actual);

}  // namespace stella_schema_contract
