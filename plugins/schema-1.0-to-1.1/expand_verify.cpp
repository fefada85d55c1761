// verify of the expand step: the 1.1 store holds every 1.0 row, unchanged, and a faithful copy of
// it in the 2.0 tables. Every check reads the data itself (bytes compared, SHA-256 recomputed).
#include "expand_sql.hpp"
#include "expand_step.hpp"

namespace stella_schema_expand {
namespace {

/// Problems listed per check; the rest are counted.
constexpr std::int64_t kMaxListedPerCheck = 10;

struct Check {
  /// What the check is about, for the "and N more" line.
  const char* subject;
  /// Returns one text row per problem; $1 is a row limit.
  const char* sql;
};

const Check kChecks[] = {
    {"version", R"SQL(SELECT format('evidence.schema_version is %s; expected 1.1', version)
FROM evidence.schema_version WHERE version <> '1.1'
UNION ALL
SELECT 'evidence.schema_version_history has no 1.0 row'
WHERE NOT EXISTS (SELECT 1 FROM evidence.schema_version_history WHERE version = '1.0')
LIMIT $1)SQL"},
    {"digest generations",
     R"SQL(SELECT format('digest generation %s (%s, %s, active %s): expected only generation 1 (sha256, sealed, active)',
  generation, algorithm, state, active)
FROM evidence.digest_generations
WHERE (generation, algorithm, state, active) IS DISTINCT FROM (1, 'sha256', 'sealed', true)
UNION ALL
SELECT 'evidence.digest_generations has no generation 1'
WHERE NOT EXISTS (SELECT 1 FROM evidence.digest_generations WHERE generation = 1)
LIMIT $1)SQL"},
    {"artifacts", R"SQL(SELECT format('artifact %s/%s: %s', a.bundle_id, a.path,
  CASE WHEN n.bundle_id IS NULL THEN 'missing from evidence.artifacts_next'
  ELSE format('copied as (tenant %s, media type %s, %s bytes); expected (tenant %s, media type %s, %s bytes)',
    n.tenant_id, n.media_type, n.size_bytes, b.tenant_id, a.media_type, a.size_bytes) END)
FROM evidence.artifacts a
JOIN evidence.bundles b ON b.bundle_id = a.bundle_id
LEFT JOIN evidence.artifacts_next n ON n.bundle_id = a.bundle_id AND n.path = a.path
WHERE n.bundle_id IS NULL OR n.tenant_id <> b.tenant_id OR n.media_type <> a.media_type
   OR n.size_bytes <> a.size_bytes
ORDER BY a.bundle_id, a.path LIMIT $1)SQL"},
    {"extra artifacts",
     R"SQL(SELECT format('artifact %s/%s is in evidence.artifacts_next but not in evidence.artifacts',
  n.bundle_id, n.path)
FROM evidence.artifacts_next n
LEFT JOIN evidence.artifacts a ON a.bundle_id = n.bundle_id AND a.path = n.path
WHERE a.bundle_id IS NULL
ORDER BY n.bundle_id, n.path LIMIT $1)SQL"},
    {"artifact contents and digests", R"SQL(SELECT format('artifact %s/%s: %s', a.bundle_id, a.path,
  CASE WHEN d.digest IS NULL THEN 'no generation-1 digest'
  WHEN d.digest <> a.digest THEN format('generation-1 digest %s differs from the 1.0 digest %s', d.digest, a.digest)
  WHEN c.content_address IS NULL THEN format('no content stored at %s', n.content_address)
  WHEN c.content <> a.content THEN format('the content at %s differs from the 1.0 bytes', c.content_address)
  ELSE format('the SHA-256 of its bytes is %s but its digest is %s: the 1.0 store holds a wrong digest (see `stella evidence verify-all`)',
    c.content_address, d.digest) END)
FROM evidence.artifacts a
JOIN evidence.artifacts_next n ON n.bundle_id = a.bundle_id AND n.path = a.path
LEFT JOIN evidence.artifact_digests d
  ON d.generation = 1 AND d.bundle_id = a.bundle_id AND d.path = a.path
LEFT JOIN evidence.contents c ON c.content_address = n.content_address
WHERE d.digest IS NULL OR d.digest <> a.digest OR c.content_address IS NULL
   OR c.content <> a.content OR c.content_address <> d.digest
ORDER BY a.bundle_id, a.path LIMIT $1)SQL"},
    {"content addresses",
     R"SQL(SELECT format('content %s: the SHA-256 of its bytes is sha256:%s', content_address,
  encode(sha256(content), 'hex'))
FROM evidence.contents
WHERE 'sha256:' || encode(sha256(content), 'hex') <> content_address
   OR octet_length(content) <> size_bytes
LIMIT $1)SQL"},
    {"unreferenced contents",
     R"SQL(SELECT format('content %s is referenced by no artifact', c.content_address)
FROM evidence.contents c
WHERE NOT EXISTS (SELECT 1 FROM evidence.artifacts_next n WHERE n.content_address = c.content_address)
LIMIT $1)SQL"},
    {"digests of other generations",
     R"SQL(SELECT format('artifact %s/%s has a digest of generation %s', bundle_id, path, generation)
FROM evidence.artifact_digests WHERE generation <> 1 LIMIT $1)SQL"},
    {"bundle roots", R"SQL(SELECT format('bundle %s: %s', b.bundle_id,
  CASE WHEN r.root IS NULL THEN 'no generation-1 bundle root'
  ELSE format('generation-1 root %s differs from the 1.0 root %s', r.root, b.bundle_root) END)
FROM evidence.bundles b
LEFT JOIN evidence.bundle_roots r ON r.generation = 1 AND r.bundle_id = b.bundle_id
WHERE r.root IS DISTINCT FROM b.bundle_root
UNION ALL
SELECT format('bundle %s has a root of generation %s', bundle_id, generation)
FROM evidence.bundle_roots WHERE generation <> 1
LIMIT $1)SQL"},
    {"attestations", R"SQL(SELECT format('bundle %s: %s', coalesce(b.bundle_id, t.bundle_id),
  CASE WHEN t.envelope IS NULL THEN 'its inline attestation is not in evidence.attestations'
  WHEN b.attestation IS NULL THEN 'has attestation 1 in evidence.attestations but none inline'
  ELSE 'attestation 1 differs from the inline envelope' END)
FROM evidence.bundles b
FULL JOIN (SELECT bundle_id, envelope FROM evidence.attestations WHERE ordinal = 1) t
  ON t.bundle_id = b.bundle_id
WHERE b.attestation IS DISTINCT FROM t.envelope
UNION ALL
SELECT format('bundle %s has attestation %s; 1.0 held one per bundle', bundle_id, ordinal)
FROM evidence.attestations WHERE ordinal <> 1
UNION ALL
SELECT format('attestation of bundle %s names tenant %s; the bundle belongs to %s', a.bundle_id,
  a.tenant_id, b.tenant_id)
FROM evidence.attestations a JOIN evidence.bundles b ON b.bundle_id = a.bundle_id
WHERE a.tenant_id <> b.tenant_id
LIMIT $1)SQL"},
    {"tenant roots",
     R"SQL(SELECT format('tenant %s: generation-1 root %s (%s bundles, %s artifacts, %s) differs from the 1.0 root %s (%s bundles, %s artifacts, %s)',
  coalesce(o.tenant_id, n.tenant_id), n.root, n.bundle_count, n.artifact_count, n.computed_at,
  o.root, o.bundle_count, o.artifact_count, o.computed_at)
FROM evidence.tenant_roots o
FULL JOIN (SELECT * FROM evidence.tenant_generation_roots WHERE generation = 1) n
  ON n.tenant_id = o.tenant_id
WHERE (o.root, o.bundle_count, o.artifact_count, o.computed_at)
  IS DISTINCT FROM (n.root, n.bundle_count, n.artifact_count, n.computed_at)
LIMIT $1)SQL"},
    {"global root",
     R"SQL(SELECT format('generation-1 global root %s differs from the 1.0 global root %s', n.root, o.root)
FROM evidence.store_root o
FULL JOIN (SELECT * FROM evidence.global_roots WHERE generation = 1) n ON true
WHERE (o.root, o.tenant_count, o.bundle_count, o.artifact_count, o.computed_at)
  IS DISTINCT FROM (n.root, n.tenant_count, n.bundle_count, n.artifact_count, n.computed_at)
LIMIT $1)SQL"},
};

}  // namespace

sdk::VerifyOutcome ExpandStep::verify(sdk::StepContext& ctx) {
  sdk::Database& database = ctx.database();
  sdk::VerifyOutcome outcome;
  for (const Check& check : kChecks) {
    const sdk::QueryResult result =
        database.query(check.sql, {std::to_string(kMaxListedPerCheck + 1)});
    std::int64_t listed = 0;
    for (const auto& row : result.rows) {
      if (listed == kMaxListedPerCheck) {
        outcome.problems.push_back(std::string("... and more problems of ") + check.subject);
        break;
      }
      outcome.problems.push_back(row.at(0).value_or("(no description)"));
      ++listed;
    }
  }
  outcome.ok = outcome.problems.empty();
  ctx.log(sdk::LogLevel::info, outcome.ok
                                   ? "verified the 1.1 store: every 1.0 row has its copy"
                                   : "verification of the 1.1 store found " +
                                         std::to_string(outcome.problems.size()) + " problems");
  return outcome;
}

}  // namespace stella_schema_expand
