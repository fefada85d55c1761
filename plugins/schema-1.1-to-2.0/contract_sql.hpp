// The SQL of the contract step (schema 1.1 -> 2.0). Up is one transaction of catalog changes: the
// expand step already copied every row into the 2.0 tables, so contracting drops the 1.0 tables and
// columns, gives the 2.0 tables their final names, and turns on row-level security. Down rebuilds
// the 1.0 tables and columns from the 2.0 data, in batches.
#pragma once

namespace stella_schema_contract::sql {

inline constexpr const char* kSchemaComment20 =
    "COMMENT ON SCHEMA evidence IS 'Sealed evidence bundles per tenant, linked by Merkle roots "
    "(stella evidence store, schema 2.0)'";
/// Schema 1.1 keeps the comment of 1.0 (the expand step changes no 1.0 object).
inline constexpr const char* kSchemaComment11 =
    "COMMENT ON SCHEMA evidence IS 'Sealed evidence bundles per tenant, linked by Merkle roots "
    "(stella evidence store, schema 1.0)'";

/// Taken first by up, so that nothing writes to the store while its layout changes.
inline constexpr const char* kLockForUp =
    "LOCK TABLE evidence.tenants, evidence.bundles, evidence.artifacts, evidence.artifacts_next, "
    "evidence.tenant_roots, evidence.tenant_generation_roots, evidence.store_root, "
    "evidence.schema_version IN ACCESS EXCLUSIVE MODE";

/// Before anything is dropped: the expand step must have copied every artifact, bundle root and
/// attestation. Returns the artifacts without a copy, the copies without an artifact, bundles
/// without a generation-1 root, inline attestations without a copy.
inline constexpr const char* kUpPreflight = R"SQL(SELECT
  (SELECT count(*) FROM evidence.artifacts a WHERE NOT EXISTS (
     SELECT 1 FROM evidence.artifacts_next n WHERE n.bundle_id = a.bundle_id AND n.path = a.path)),
  (SELECT count(*) FROM evidence.artifacts_next n WHERE NOT EXISTS (
     SELECT 1 FROM evidence.artifacts a WHERE a.bundle_id = n.bundle_id AND a.path = n.path)),
  (SELECT count(*) FROM evidence.bundles b WHERE NOT EXISTS (
     SELECT 1 FROM evidence.bundle_roots r WHERE r.generation = 1 AND r.bundle_id = b.bundle_id)),
  (SELECT count(*) FROM evidence.bundles b WHERE b.attestation IS NOT NULL AND NOT EXISTS (
     SELECT 1 FROM evidence.attestations t WHERE t.bundle_id = b.bundle_id AND t.ordinal = 1)))SQL";

inline constexpr const char* kUpStatements[] = {
    // The bytes now live in evidence.contents; dropping the 1.0 table frees their space at once.
    "DROP TABLE evidence.artifacts",
    "ALTER TABLE evidence.artifacts_next RENAME TO artifacts",
    "ALTER TABLE evidence.artifacts RENAME CONSTRAINT artifacts_next_pkey TO artifacts_pkey",
    "CREATE INDEX artifacts_by_content ON evidence.artifacts (content_address)",
    "CREATE INDEX artifacts_by_tenant ON evidence.artifacts (tenant_id)",
    "ALTER TABLE evidence.bundles DROP COLUMN bundle_root, DROP COLUMN attestation",
    "CREATE INDEX bundles_by_created ON evidence.bundles (created_at)",
    "DROP TABLE evidence.tenant_roots",
    "ALTER TABLE evidence.tenant_generation_roots RENAME TO tenant_roots",
    "ALTER TABLE evidence.tenant_roots RENAME CONSTRAINT tenant_generation_roots_pkey TO "
    "tenant_roots_pkey",
    "DROP TABLE evidence.store_root",
    "ALTER TABLE evidence.tenants ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE evidence.bundles ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE evidence.artifacts ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE evidence.attestations ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE evidence.tenant_roots ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY tenant_isolation ON evidence.tenants "
    "USING (tenant_id = current_setting('stella.tenant', true))",
    "CREATE POLICY tenant_isolation ON evidence.bundles "
    "USING (tenant_id = current_setting('stella.tenant', true))",
    "CREATE POLICY tenant_isolation ON evidence.artifacts "
    "USING (tenant_id = current_setting('stella.tenant', true))",
    "CREATE POLICY tenant_isolation ON evidence.attestations "
    "USING (tenant_id = current_setting('stella.tenant', true))",
    "CREATE POLICY tenant_isolation ON evidence.tenant_roots "
    "USING (tenant_id = current_setting('stella.tenant', true))",
    kSchemaComment20,
    // The 1.1 row is kept so that `down` restores it exactly (its applied_at included).
    "INSERT INTO evidence.schema_version_history (version, applied_at, superseded_at) "
    "SELECT version, applied_at, now() FROM evidence.schema_version",
    "UPDATE evidence.schema_version SET version = '2.0', applied_at = now()",
};

/// Before down touches a 2.0 store: schema 1.0 holds exactly one sha256 digest per artifact, one
/// root per bundle and at most one attestation per bundle, so anything a 2.0 store holds beyond
/// that would be lost, and down refuses. Returns: generations other than 1, generation 1 that is
/// not sha256, attestations beyond the first, root transitions, artifacts without a generation-1
/// digest, bundles without a generation-1 root, a missing generation-1 global root.
inline constexpr const char* kDownPreflight = R"SQL(SELECT
  (SELECT count(*) FROM evidence.digest_generations WHERE generation <> 1),
  (SELECT count(*) FROM evidence.digest_generations WHERE generation = 1 AND algorithm <> 'sha256'),
  (SELECT count(*) FROM evidence.attestations WHERE ordinal <> 1),
  (SELECT count(*) FROM evidence.root_transitions),
  (SELECT count(*) FROM evidence.artifacts a WHERE NOT EXISTS (
     SELECT 1 FROM evidence.artifact_digests d
     WHERE d.generation = 1 AND d.bundle_id = a.bundle_id AND d.path = a.path)),
  (SELECT count(*) FROM evidence.bundles b WHERE NOT EXISTS (
     SELECT 1 FROM evidence.bundle_roots r WHERE r.generation = 1 AND r.bundle_id = b.bundle_id)),
  (SELECT count(*) FROM evidence.global_roots WHERE generation = 1))SQL";

inline constexpr const char* kLockForDown =
    "LOCK TABLE evidence.tenants, evidence.bundles, evidence.artifacts, evidence.attestations, "
    "evidence.tenant_roots, evidence.schema_version IN ACCESS EXCLUSIVE MODE";

/// Down, first transaction: the 2.0 tables go back to their 1.1 names and empty 1.0 tables and
/// columns are created (the exact 1.0 definitions, schemas/sql/1.0/).
inline constexpr const char* kDownSchemaStatements[] = {
    "DROP POLICY tenant_isolation ON evidence.tenants",
    "DROP POLICY tenant_isolation ON evidence.bundles",
    "DROP POLICY tenant_isolation ON evidence.artifacts",
    "DROP POLICY tenant_isolation ON evidence.attestations",
    "DROP POLICY tenant_isolation ON evidence.tenant_roots",
    "ALTER TABLE evidence.tenants DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE evidence.bundles DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE evidence.artifacts DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE evidence.attestations DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE evidence.tenant_roots DISABLE ROW LEVEL SECURITY",
    "DROP INDEX evidence.bundles_by_created",
    "DROP INDEX evidence.artifacts_by_content",
    "DROP INDEX evidence.artifacts_by_tenant",
    "ALTER TABLE evidence.artifacts RENAME CONSTRAINT artifacts_pkey TO artifacts_next_pkey",
    "ALTER TABLE evidence.artifacts RENAME TO artifacts_next",
    "ALTER TABLE evidence.tenant_roots RENAME CONSTRAINT tenant_roots_pkey TO "
    "tenant_generation_roots_pkey",
    "ALTER TABLE evidence.tenant_roots RENAME TO tenant_generation_roots",
    // Constraint names are given: PostgreSQL would otherwise avoid the names the same constraints
    // still have on evidence.artifacts_next and evidence.tenant_generation_roots, and the restored
    // catalog would differ from the original 1.0 catalog.
    R"SQL(CREATE TABLE evidence.artifacts (
  bundle_id  text COLLATE "C" NOT NULL,
  path       text COLLATE "C" NOT NULL,
  media_type text NOT NULL,
  size_bytes bigint NOT NULL,
  digest     text NOT NULL,
  content    bytea NOT NULL,
  CONSTRAINT artifacts_bundle_id_fkey FOREIGN KEY (bundle_id)
    REFERENCES evidence.bundles (bundle_id),
  CONSTRAINT artifacts_path_check
    CHECK (path ~ '^[^/\\]+(/[^/\\]+)*$' AND path !~ '(^|/)\.\.?(/|$)'),
  CONSTRAINT artifacts_size_bytes_check CHECK (size_bytes >= 0),
  CONSTRAINT artifacts_digest_check CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
  CONSTRAINT artifacts_pkey PRIMARY KEY (bundle_id, path)
))SQL",
    // NOT NULL and the check come back once every bundle has its root again (kDownFinish).
    "ALTER TABLE evidence.bundles ADD COLUMN bundle_root text, ADD COLUMN attestation jsonb",
    R"SQL(CREATE TABLE evidence.tenant_roots (
  tenant_id      text COLLATE "C" NOT NULL,
  root           text NOT NULL,
  bundle_count   bigint NOT NULL,
  artifact_count bigint NOT NULL,
  computed_at    timestamptz NOT NULL,
  CONSTRAINT tenant_roots_pkey PRIMARY KEY (tenant_id),
  CONSTRAINT tenant_roots_tenant_id_fkey FOREIGN KEY (tenant_id)
    REFERENCES evidence.tenants (tenant_id),
  CONSTRAINT tenant_roots_root_check CHECK (root ~ '^sha256:[0-9a-f]{64}$'),
  CONSTRAINT tenant_roots_bundle_count_check CHECK (bundle_count >= 0),
  CONSTRAINT tenant_roots_artifact_count_check CHECK (artifact_count >= 0)
))SQL",
    R"SQL(CREATE TABLE evidence.store_root (
  singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  root           text NOT NULL CHECK (root ~ '^sha256:[0-9a-f]{64}$'),
  algorithm      text NOT NULL DEFAULT 'sha256' CHECK (algorithm = 'sha256'),
  tenant_count   bigint NOT NULL CHECK (tenant_count >= 0),
  bundle_count   bigint NOT NULL CHECK (bundle_count >= 0),
  artifact_count bigint NOT NULL CHECK (artifact_count >= 0),
  computed_at    timestamptz NOT NULL
))SQL",
};

/// Down, one batch of artifacts after ($1 bundle id, $2 path), at most $3: the 1.0 rows rebuilt
/// with their bytes from evidence.contents and their generation-1 digest. Returns the rows restored
/// and the batch's last key.
inline constexpr const char* kRestoreArtifactBatch = R"SQL(WITH batch AS MATERIALIZED (
  SELECT n.bundle_id, n.path, n.media_type, n.size_bytes, d.digest, c.content
  FROM evidence.artifacts_next n
  JOIN evidence.contents c ON c.content_address = n.content_address
  LEFT JOIN evidence.artifact_digests d
    ON d.generation = 1 AND d.bundle_id = n.bundle_id AND d.path = n.path
  WHERE (n.bundle_id, n.path) > ($1::text COLLATE "C", $2::text COLLATE "C")
  ORDER BY n.bundle_id, n.path
  LIMIT $3::bigint
), restored AS (
  INSERT INTO evidence.artifacts (bundle_id, path, media_type, size_bytes, digest, content)
  SELECT bundle_id, path, media_type, size_bytes, digest, content FROM batch
  RETURNING 1
)
SELECT (SELECT count(*) FROM restored), last.bundle_id, last.path
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (SELECT bundle_id, path FROM batch ORDER BY bundle_id DESC, path DESC LIMIT 1)
  AS last ON true)SQL";

/// Down, one batch of bundles after $1, at most $2: the 1.0 columns filled again from the
/// generation-1 root and attestation 1. Returns the bundles restored and the batch's last id.
inline constexpr const char* kRestoreBundleBatch = R"SQL(WITH batch AS MATERIALIZED (
  SELECT b.bundle_id, r.root, t.envelope
  FROM evidence.bundles b
  LEFT JOIN evidence.bundle_roots r ON r.generation = 1 AND r.bundle_id = b.bundle_id
  LEFT JOIN evidence.attestations t ON t.ordinal = 1 AND t.bundle_id = b.bundle_id
  WHERE b.bundle_id > $1::text COLLATE "C"
  ORDER BY b.bundle_id
  LIMIT $2::bigint
), restored AS (
  UPDATE evidence.bundles AS b SET bundle_root = batch.root, attestation = batch.envelope
  FROM batch WHERE b.bundle_id = batch.bundle_id
  RETURNING 1
)
SELECT (SELECT count(*) FROM restored), (SELECT max(bundle_id) FROM batch))SQL";

/// Down, last transaction (committed by the host with the step's completion).
inline constexpr const char* kDownFinishStatements[] = {
    "ALTER TABLE evidence.bundles ALTER COLUMN bundle_root SET NOT NULL, "
    "ADD CONSTRAINT bundles_bundle_root_check CHECK (bundle_root ~ '^sha256:[0-9a-f]{64}$')",
    "INSERT INTO evidence.tenant_roots (tenant_id, root, bundle_count, artifact_count, "
    "computed_at) SELECT tenant_id, root, bundle_count, artifact_count, computed_at "
    "FROM evidence.tenant_generation_roots WHERE generation = 1",
    "INSERT INTO evidence.store_root (singleton, root, algorithm, tenant_count, bundle_count, "
    "artifact_count, computed_at) SELECT true, root, 'sha256', tenant_count, bundle_count, "
    "artifact_count, computed_at FROM evidence.global_roots WHERE generation = 1",
    kSchemaComment11,
};

inline constexpr const char* kRestoreVersionRow = R"SQL(UPDATE evidence.schema_version AS s
SET version = h.version, applied_at = h.applied_at
FROM evidence.schema_version_history AS h
WHERE s.version = '2.0' AND h.version = '1.1')SQL";
inline constexpr const char* kForgetVersionRow =
    "DELETE FROM evidence.schema_version_history WHERE version = '1.1'";

inline constexpr const char* kStoreVersion = "SELECT version FROM evidence.schema_version";
inline constexpr const char* kTableExists = "SELECT to_regclass($1) IS NOT NULL";

}  // namespace stella_schema_contract::sql
