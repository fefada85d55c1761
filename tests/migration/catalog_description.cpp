#include "migration/catalog_description.hpp"

#include <algorithm>
#include <iterator>

namespace stella::test {
namespace {

constexpr const char* kCatalogQuery = R"SQL(
SELECT 'comment ' || coalesce(obj_description('evidence'::regnamespace, 'pg_namespace'), '')
UNION ALL
SELECT format('table %s rls=%s', c.relname, c.relrowsecurity)
FROM pg_class c WHERE c.relnamespace = 'evidence'::regnamespace AND c.relkind IN ('r', 'p')
UNION ALL
SELECT format('column %s.%s #%s %s nullable=%s default=%s collation=%s', table_name, column_name,
              rank() OVER (PARTITION BY table_name ORDER BY ordinal_position), data_type,
              is_nullable, coalesce(column_default, '-'), coalesce(collation_name, '-'))
FROM information_schema.columns WHERE table_schema = 'evidence'
UNION ALL
SELECT format('constraint %s.%s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
FROM pg_constraint WHERE connamespace = 'evidence'::regnamespace
UNION ALL
SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'evidence'
UNION ALL
SELECT format('policy %s.%s %s %s %s', tablename, policyname, cmd, roles, qual)
FROM pg_policies WHERE schemaname = 'evidence'
UNION ALL
SELECT format('sequence %s', sequence_name) FROM information_schema.sequences
WHERE sequence_schema = 'evidence'
)SQL";

}  // namespace

std::vector<std::string> evidence_catalog(host::PgConnection& connection) {
  const host::PgResult rows = connection.exec(kCatalogQuery);
  std::vector<std::string> lines;
  for (int r = 0; r < rows.rows(); ++r) {
    lines.emplace_back(rows.get(r, 0));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string catalog_difference(const std::vector<std::string>& expected,
                               const std::vector<std::string>& actual) {
  std::vector<std::string> missing;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::vector<std::string> unexpected;
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(unexpected));
  std::string text;
  for (const auto& line : missing) {
    text += "missing: " + line + "\n";
  }
  for (const auto& line : unexpected) {
    text += "unexpected: " + line + "\n";
  }
  return text;
}

}  // namespace stella::test
