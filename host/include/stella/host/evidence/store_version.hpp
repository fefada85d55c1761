// Which evidence schema a database holds, and which versions this build can create.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The PostgreSQL schema that holds evidence in every store version.
inline constexpr const char* kEvidenceSchema = "evidence";

/// The store's schema version from evidence.schema_version (a table every version keeps), or
/// nullopt when the database holds no evidence store. Throws sdk::Error(refused) when a schema
/// "evidence" exists without a readable version row (a store stella did not create, or a broken
/// one): that must never be mistaken for an empty database.
/// An empty schema "evidence" that the role may create tables in (prepared by a DBA) is no store
/// yet: nullopt. Throws sdk::Error(refused) naming the owner when the role may not use the
/// schema, or may not create tables in an empty one.
std::optional<std::string> detect_store_version(PgConnection& connection);

/// True when the database has a schema "evidence", a store or not.
bool evidence_schema_exists(PgConnection& connection);

/// Versions whose SQL is embedded (schemas/sql/<version>/), in ascending order.
std::vector<std::string> available_schema_versions();

/// The embedded SQL files of a version ("sql/1.0/001_evidence_schema.sql", ...) in the order they
/// are applied (file name order). Empty when the version is unknown.
std::vector<std::string> schema_sql_files(std::string_view version);

/// The name of the database `connection` is connected to (for messages).
std::string database_name(PgConnection& connection);

}  // namespace stella::host
