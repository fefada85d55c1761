// Detecting a store's schema version, and the versions whose SQL this build embeds.
#include "stella/host/evidence/store_version.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "stella/host/resources.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::string_view kSqlPrefix = "sql/";
constexpr std::string_view kSqlSuffix = ".sql";

/// "1.10" after "1.9": versions compare by their numeric parts.
bool version_less(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    std::size_t next_i = a.find('.', i);
    std::size_t next_j = b.find('.', j);
    next_i = next_i == std::string::npos ? a.size() : next_i;
    next_j = next_j == std::string::npos ? b.size() : next_j;
    const std::string part_a = a.substr(std::min(i, a.size()), next_i - std::min(i, a.size()));
    const std::string part_b = b.substr(std::min(j, b.size()), next_j - std::min(j, b.size()));
    if (part_a != part_b) {
      if (part_a.size() != part_b.size()) {
        return part_a.size() < part_b.size();
      }
      return part_a < part_b;
    }
    i = next_i + 1;
    j = next_j + 1;
  }
  return false;
}

}  // namespace

std::string database_name(PgConnection& connection) {
  const char* name = PQdb(connection.raw());
  return name == nullptr ? std::string("(unknown)") : std::string(name);
}

std::optional<std::string> detect_store_version(PgConnection& connection) {
  // The catalog, not to_regclass: it answers whatever the role's privileges on the schema, so a
  // role without USAGE is told so in stella's words instead of PostgreSQL's.
  const PgResult probe = connection.exec(
      "SELECT n.oid IS NOT NULL, "
      "EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid "
      "AND c.relname = 'schema_version'), "
      "NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid) "
      "AND NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = n.oid) "
      "AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = n.oid), "
      "pg_get_userbyid(n.nspowner), current_user, "
      "n.oid IS NOT NULL AND has_schema_privilege(n.oid, 'USAGE'), "
      "n.oid IS NOT NULL AND pg_has_role(current_user, n.nspowner, 'USAGE') "
      "FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = $1",
      {std::string(kEvidenceSchema)});
  const bool has_schema = probe.get(0, 0) == "t";
  const bool has_version_table = probe.get(0, 1) == "t";
  const bool empty = probe.get(0, 2) == "t";
  const std::string owner(probe.get(0, 3));
  const std::string role(probe.get(0, 4));
  const bool may_use = probe.get(0, 5) == "t";
  // init comments on the schema, which only its owner may.
  const bool owns = probe.get(0, 6) == "t";
  if (!has_schema) {
    return std::nullopt;
  }
  const std::string database = database_name(connection);
  if (!may_use || (!has_version_table && empty && !owns)) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "role '" + role + "' may not " + (may_use ? "create the store in" : "use") +
                         " schema 'evidence' of database " + database + ", which role '" + owner +
                         "' owns" + (empty ? " (the schema is empty)" : ""),
                     has_version_table || !empty
                         ? "connect as '" + owner +
                               "' (or a role that inherits its privileges: "
                               "GRANT " +
                               owner + " TO " + role + ")"
                         : "ask '" + owner +
                               "' to hand the schema over (ALTER SCHEMA evidence "
                               "OWNER TO " +
                               role +
                               ") or to drop it (DROP SCHEMA evidence), "
                               "then run `stella evidence init` again");
  }
  if (!has_version_table) {
    if (empty) {
      return std::nullopt;  // prepared for the store (init creates it in there), not a store yet
    }
    throw sdk::Error(sdk::ErrorCode::refused,
                     "database " + database +
                         " has a schema 'evidence' but no evidence.schema_version table; "
                         "expected either no schema 'evidence' or a store created by "
                         "`stella evidence init`",
                     "if the schema is not an evidence store, use another database (--database); "
                     "if it is a damaged store, restore it from a backup");
  }
  const PgResult versions = connection.exec("SELECT version FROM evidence.schema_version");
  if (versions.rows() != 1 || versions.is_null(0, 0)) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "evidence.schema_version in database " + database + " has " +
                         std::to_string(versions.rows()) + " rows; expected exactly one version",
                     "the store's version record is damaged; restore it from a backup");
  }
  return std::string(versions.get(0, 0));
}

bool evidence_schema_exists(PgConnection& connection) {
  return connection
             .exec("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                   {std::string(kEvidenceSchema)})
             .get(0, 0) == "t";
}

std::vector<std::string> available_schema_versions() {
  std::set<std::string> versions;
  for (const auto& [path, content] : all_resources()) {
    if (path.substr(0, kSqlPrefix.size()) != kSqlPrefix) {
      continue;
    }
    const std::string_view rest = path.substr(kSqlPrefix.size());
    const std::size_t slash = rest.find('/');
    // Version folders are numbered ("1.0", "2.0"); others (sql/state/) hold the tool's own
    // schema, not a store version.
    if (slash != std::string_view::npos && slash > 0 &&
        std::isdigit(static_cast<unsigned char>(rest.front())) != 0) {
      versions.insert(std::string(rest.substr(0, slash)));
    }
  }
  std::vector<std::string> sorted(versions.begin(), versions.end());
  std::sort(sorted.begin(), sorted.end(), version_less);
  return sorted;
}

std::vector<std::string> schema_sql_files(std::string_view version) {
  const std::string prefix = std::string(kSqlPrefix) + std::string(version) + "/";
  std::vector<std::string> files;
  for (const auto& [path, content] : all_resources()) {
    const bool in_version = path.substr(0, prefix.size()) == prefix;
    const bool is_sql = path.size() > kSqlSuffix.size() &&
                        path.substr(path.size() - kSqlSuffix.size()) == kSqlSuffix;
    // Only files directly in the version's folder: subfolders may hold other material.
    if (in_version && is_sql && path.find('/', prefix.size()) == std::string_view::npos) {
      files.emplace_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace stella::host
