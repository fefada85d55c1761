#include "catalog_description.hpp"

#include <algorithm>
#include <iterator>

namespace stella_schema_contract {
namespace {

constexpr const char* kDescribeCatalog = R"SQL(WITH ns AS (
  SELECT oid FROM pg_namespace WHERE nspname = $1
), rels AS (
  SELECT c.oid, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
  FROM pg_class c JOIN ns ON c.relnamespace = ns.oid
)
SELECT line FROM (
  SELECT 'schema comment ' || coalesce(obj_description(ns.oid, 'pg_namespace'), '<none>') AS line
  FROM ns
  UNION ALL
  SELECT format('relation %s kind=%s row_security=%s forced=%s', relname, relkind, relrowsecurity,
                relforcerowsecurity)
  FROM rels
  UNION ALL
  SELECT format('column %s.%s position=%s type=%s not_null=%s default=%s collation=%s',
                r.relname, a.attname,
                row_number() OVER (PARTITION BY r.oid ORDER BY a.attnum),
                format_type(a.atttypid, a.atttypmod), a.attnotnull,
                coalesce(pg_get_expr(d.adbin, d.adrelid), '<none>'),
                coalesce(co.collname, '<none>'))
  FROM rels r
  JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f')
  UNION ALL
  SELECT format('constraint %s.%s %s', r.relname, con.conname, pg_get_constraintdef(con.oid))
  FROM rels r JOIN pg_constraint con ON con.conrelid = r.oid
  UNION ALL
  SELECT format('index %s', pg_get_indexdef(r.oid)) FROM rels r WHERE r.relkind = 'i'
  UNION ALL
  SELECT format('policy %s.%s command=%s permissive=%s roles=%s using=%s check=%s', r.relname,
                p.polname, p.polcmd, p.polpermissive,
                (SELECT string_agg(CASE WHEN role = 0 THEN 'public' ELSE pg_get_userbyid(role) END,
                                   ',' ORDER BY role)
                 FROM unnest(p.polroles) AS role),
                coalesce(pg_get_expr(p.polqual, p.polrelid), '<none>'),
                coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '<none>'))
  FROM rels r JOIN pg_policy p ON p.polrelid = r.oid
  UNION ALL
  SELECT format('trigger %s', pg_get_triggerdef(t.oid))
  FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
) AS lines
ORDER BY line COLLATE "C")SQL";

}  // namespace

std::vector<std::string> describe_catalog(stella::sdk::Database& database,
                                          std::string_view schema) {
  const stella::sdk::QueryResult result = database.query(kDescribeCatalog, {std::string(schema)});
  std::vector<std::string> lines;
  lines.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    lines.push_back(row.at(0).value_or("<null>"));
  }
  // Sorted here as well: catalog_differences needs std::string's order, whatever the server did.
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> catalog_differences(const std::vector<std::string>& expected,
                                             const std::vector<std::string>& actual) {
  std::vector<std::string> missing;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::vector<std::string> unexpected;
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(unexpected));
  std::vector<std::string> differences;
  for (const auto& line : missing) {
    differences.push_back("missing: " + line);
  }
  for (const auto& line : unexpected) {
    differences.push_back("unexpected: " + line);
  }
  return differences;
}

}  // namespace stella_schema_contract
