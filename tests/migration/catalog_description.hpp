// The catalog of the evidence schema as sorted text lines, read from information_schema and
// pg_catalog: what a test compares between two stores (a migrated one and one created fresh, or a
// store before a migration and after its rollback). Independent of the step plugins' own check.
#pragma once

#include <string>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::test {

/// Tables (with row-level security flags), columns (type, nullability, default, collation, position
/// among live columns), constraints, indexes, policies, the schema comment.
std::vector<std::string> evidence_catalog(host::PgConnection& connection);

/// Lines only in `expected` ("missing: ...") and only in `actual` ("unexpected: ..."), joined.
std::string catalog_difference(const std::vector<std::string>& expected,
                               const std::vector<std::string>& actual);

}  // namespace stella::test
