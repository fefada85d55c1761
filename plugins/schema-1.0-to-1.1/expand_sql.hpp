// The SQL of the expand step (schema 1.0 -> 1.1). Schema 1.1 is schema 1.0 untouched plus the 2.0
// tables beside it (docs/store-schema-2.0.md, "The path from 1.0"). Two of them cannot take their
// 2.0 names yet because a 1.0 table still has that name; the contract step (1.1 -> 2.0) renames
// them:
//   evidence.artifacts_next           -> evidence.artifacts
//   evidence.tenant_generation_roots  -> evidence.tenant_roots
// Their constraints already carry the 2.0 names, except the primary keys (index names are unique
// per schema), which the contract step renames too.
#pragma once

namespace stella_schema_expand::sql {

/// The DDL, one statement per entry, in the order it runs (tables before what references them).
inline constexpr const char* kCreateStatements[] = {
    R"SQL(CREATE TABLE evidence.schema_version_history (
  version       text COLLATE "C" PRIMARY KEY,
  applied_at    timestamptz NOT NULL,
  superseded_at timestamptz NOT NULL
))SQL",
    R"SQL(CREATE TABLE evidence.digest_generations (
  generation  integer PRIMARY KEY CHECK (generation >= 1),
  algorithm   text NOT NULL CHECK (algorithm ~ '^[a-z0-9][a-z0-9-]*$'),
  state       text NOT NULL CHECK (state IN ('building', 'sealed', 'retired')),
  active      boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sealed_at   timestamptz,
  CHECK (NOT active OR state = 'sealed'),
  CHECK ((state = 'building') = (sealed_at IS NULL))
))SQL",
    R"SQL(CREATE UNIQUE INDEX digest_generations_one_active ON evidence.digest_generations (active)
  WHERE active)SQL",
    // Schema 1.0 held one generation of digests: sha256, complete, the one everything used.
    R"SQL(INSERT INTO evidence.digest_generations (generation, algorithm, state, active, sealed_at)
VALUES (1, 'sha256', 'sealed', true, now()))SQL",
    R"SQL(CREATE TABLE evidence.contents (
  content_address text COLLATE "C" PRIMARY KEY CHECK (content_address ~ '^sha256:[0-9a-f]{64}$'),
  size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
  content         bytea NOT NULL
))SQL",
    R"SQL(CREATE TABLE evidence.artifacts_next (
  bundle_id       text COLLATE "C" NOT NULL,
  path            text COLLATE "C" NOT NULL,
  tenant_id       text COLLATE "C" NOT NULL,
  media_type      text NOT NULL,
  size_bytes      bigint NOT NULL,
  content_address text COLLATE "C" NOT NULL,
  CONSTRAINT artifacts_next_pkey PRIMARY KEY (bundle_id, path),
  CONSTRAINT artifacts_bundle_id_fkey FOREIGN KEY (bundle_id)
    REFERENCES evidence.bundles (bundle_id),
  CONSTRAINT artifacts_path_check
    CHECK (path ~ '^[^/\\]+(/[^/\\]+)*$' AND path !~ '(^|/)\.\.?(/|$)'),
  CONSTRAINT artifacts_tenant_id_fkey FOREIGN KEY (tenant_id)
    REFERENCES evidence.tenants (tenant_id),
  CONSTRAINT artifacts_size_bytes_check CHECK (size_bytes >= 0),
  CONSTRAINT artifacts_content_address_fkey FOREIGN KEY (content_address)
    REFERENCES evidence.contents (content_address)
))SQL",
    R"SQL(CREATE TABLE evidence.artifact_digests (
  bundle_id  text COLLATE "C" NOT NULL,
  path       text COLLATE "C" NOT NULL,
  generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  digest     text NOT NULL CHECK (digest ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  PRIMARY KEY (generation, bundle_id, path),
  CONSTRAINT artifact_digests_bundle_id_path_fkey FOREIGN KEY (bundle_id, path)
    REFERENCES evidence.artifacts_next (bundle_id, path)
) PARTITION BY LIST (generation))SQL",
    R"SQL(CREATE INDEX artifact_digests_by_artifact ON evidence.artifact_digests (bundle_id, path))SQL",
    // Generation 1 and any generation not built by a reindex (schemas/sql/2.0/008).
    R"SQL(CREATE TABLE evidence.artifact_digests_default PARTITION OF evidence.artifact_digests DEFAULT)SQL",
    R"SQL(CREATE TABLE evidence.attestations (
  bundle_id    text COLLATE "C" NOT NULL REFERENCES evidence.bundles (bundle_id),
  ordinal      integer NOT NULL CHECK (ordinal >= 1),
  tenant_id    text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  payload_type text NOT NULL,
  key_id       text COLLATE "C" REFERENCES evidence.signing_keys (key_id),
  envelope     jsonb NOT NULL,
  PRIMARY KEY (bundle_id, ordinal)
))SQL",
    R"SQL(CREATE TABLE evidence.bundle_roots (
  bundle_id  text COLLATE "C" NOT NULL REFERENCES evidence.bundles (bundle_id),
  generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  root       text NOT NULL CHECK (root ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  PRIMARY KEY (generation, bundle_id)
))SQL",
    R"SQL(CREATE TABLE evidence.tenant_generation_roots (
  tenant_id      text COLLATE "C" NOT NULL,
  generation     integer NOT NULL,
  root           text NOT NULL,
  bundle_count   bigint NOT NULL,
  artifact_count bigint NOT NULL,
  computed_at    timestamptz NOT NULL,
  CONSTRAINT tenant_generation_roots_pkey PRIMARY KEY (generation, tenant_id),
  CONSTRAINT tenant_roots_tenant_id_fkey FOREIGN KEY (tenant_id)
    REFERENCES evidence.tenants (tenant_id),
  CONSTRAINT tenant_roots_generation_fkey FOREIGN KEY (generation)
    REFERENCES evidence.digest_generations (generation),
  CONSTRAINT tenant_roots_root_check CHECK (root ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  CONSTRAINT tenant_roots_bundle_count_check CHECK (bundle_count >= 0),
  CONSTRAINT tenant_roots_artifact_count_check CHECK (artifact_count >= 0)
))SQL",
    R"SQL(CREATE TABLE evidence.global_roots (
  generation     integer PRIMARY KEY REFERENCES evidence.digest_generations (generation),
  root           text NOT NULL CHECK (root ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  tenant_count   bigint NOT NULL CHECK (tenant_count >= 0),
  bundle_count   bigint NOT NULL CHECK (bundle_count >= 0),
  artifact_count bigint NOT NULL CHECK (artifact_count >= 0),
  computed_at    timestamptz NOT NULL
))SQL",
    R"SQL(CREATE TABLE evidence.root_transitions (
  transition_id   bigserial PRIMARY KEY,
  from_generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  to_generation   integer NOT NULL REFERENCES evidence.digest_generations (generation),
  old_global_root text NOT NULL,
  new_global_root text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  recorded_by     text NOT NULL,
  audit_event_id  bigint,
  UNIQUE (from_generation, to_generation),
  CHECK (from_generation <> to_generation)
))SQL",
    R"SQL(CREATE TABLE evidence.root_cross_references (
  transition_id bigint NOT NULL REFERENCES evidence.root_transitions (transition_id),
  scope         text NOT NULL CHECK (scope IN ('tenant', 'bundle')),
  scope_id      text COLLATE "C" NOT NULL,
  old_root      text NOT NULL,
  new_root      text NOT NULL,
  PRIMARY KEY (transition_id, scope, scope_id)
))SQL",
};

/// One batch of artifacts, after the key ($1 bundle id, $2 path) in (bundle_id, path) order, at
/// most $3 rows: their bytes into content-addressed storage (each distinct byte string once,
/// addressed by its SHA-256 computed here from the bytes), their 2.0 rows, and their 1.0 digests
/// as generation 1. Returns the rows copied, the contents newly stored, and the batch's last key.
inline constexpr const char* kCopyArtifactBatch = R"SQL(WITH batch AS MATERIALIZED (
  SELECT a.bundle_id, a.path, b.tenant_id, a.media_type, a.size_bytes, a.digest, a.content,
         'sha256:' || encode(sha256(a.content), 'hex') AS content_address
  FROM evidence.artifacts a JOIN evidence.bundles b ON b.bundle_id = a.bundle_id
  WHERE (a.bundle_id, a.path) > ($1::text COLLATE "C", $2::text COLLATE "C")
  ORDER BY a.bundle_id, a.path
  LIMIT $3::bigint
), stored_contents AS (
  INSERT INTO evidence.contents (content_address, size_bytes, content)
  SELECT DISTINCT ON (content_address) content_address, octet_length(content), content
  FROM batch ORDER BY content_address
  ON CONFLICT (content_address) DO NOTHING
  RETURNING 1
), placed AS (
  INSERT INTO evidence.artifacts_next
    (bundle_id, path, tenant_id, media_type, size_bytes, content_address)
  SELECT bundle_id, path, tenant_id, media_type, size_bytes, content_address FROM batch
  RETURNING 1
), digested AS (
  INSERT INTO evidence.artifact_digests (bundle_id, path, generation, digest)
  SELECT bundle_id, path, 1, digest FROM batch
  RETURNING 1
)
SELECT (SELECT count(*) FROM placed), (SELECT count(*) FROM stored_contents),
       (SELECT count(*) FROM digested), last.bundle_id, last.path
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (SELECT bundle_id, path FROM batch ORDER BY bundle_id DESC, path DESC LIMIT 1)
  AS last ON true)SQL";

/// One batch of bundles after bundle id $1, at most $2: their roots as generation-1 bundle roots,
/// their inline DSSE envelope (if any) as attestation 1 in evidence.attestations, with the payload
/// type and the signing key it names (when the store knows that key). Returns the bundles copied,
/// the attestations moved, and the batch's last bundle id.
inline constexpr const char* kCopyBundleBatch = R"SQL(WITH batch AS MATERIALIZED (
  SELECT bundle_id, tenant_id, bundle_root, attestation
  FROM evidence.bundles
  WHERE bundle_id > $1::text COLLATE "C"
  ORDER BY bundle_id
  LIMIT $2::bigint
), roots AS (
  INSERT INTO evidence.bundle_roots (bundle_id, generation, root)
  SELECT bundle_id, 1, bundle_root FROM batch
  RETURNING 1
), moved AS (
  INSERT INTO evidence.attestations (bundle_id, ordinal, tenant_id, payload_type, key_id, envelope)
  SELECT batch.bundle_id, 1, batch.tenant_id, batch.attestation ->> 'payloadType', k.key_id,
         batch.attestation
  FROM batch
  LEFT JOIN evidence.signing_keys k
    ON k.key_id = batch.attestation -> 'signatures' -> 0 ->> 'keyid'
  WHERE batch.attestation IS NOT NULL
  RETURNING 1
)
SELECT (SELECT count(*) FROM roots), (SELECT count(*) FROM moved),
       (SELECT max(bundle_id) FROM batch))SQL";

/// What runs after the last batch, in the transaction that also records the step as done.
inline constexpr const char* kFinishStatements[] = {
    R"SQL(INSERT INTO evidence.tenant_generation_roots
  (tenant_id, generation, root, bundle_count, artifact_count, computed_at)
SELECT tenant_id, 1, root, bundle_count, artifact_count, computed_at FROM evidence.tenant_roots)SQL",
    R"SQL(INSERT INTO evidence.global_roots
  (generation, root, tenant_count, bundle_count, artifact_count, computed_at)
SELECT 1, root, tenant_count, bundle_count, artifact_count, computed_at FROM evidence.store_root)SQL",
    // The 1.0 row is kept so that `down` restores it exactly (its applied_at included).
    R"SQL(INSERT INTO evidence.schema_version_history (version, applied_at, superseded_at)
SELECT version, applied_at, now() FROM evidence.schema_version)SQL",
    R"SQL(UPDATE evidence.schema_version SET version = '1.1', applied_at = now())SQL",
};

/// Undoes the step from any point: everything the step added is dropped (the 1.0 tables were
/// never changed), then the 1.0 version row comes back from the history.
inline constexpr const char* kDropStatements[] = {
    "DROP TABLE IF EXISTS evidence.root_cross_references",
    "DROP TABLE IF EXISTS evidence.root_transitions",
    "DROP TABLE IF EXISTS evidence.artifact_digests",
    "DROP TABLE IF EXISTS evidence.artifacts_next",
    "DROP TABLE IF EXISTS evidence.contents",
    "DROP TABLE IF EXISTS evidence.attestations",
    "DROP TABLE IF EXISTS evidence.bundle_roots",
    "DROP TABLE IF EXISTS evidence.tenant_generation_roots",
    "DROP TABLE IF EXISTS evidence.global_roots",
    "DROP TABLE IF EXISTS evidence.digest_generations",
};

inline constexpr const char* kRestoreVersionRow = R"SQL(UPDATE evidence.schema_version AS s
SET version = h.version, applied_at = h.applied_at
FROM evidence.schema_version_history AS h
WHERE s.version = '1.1' AND h.version = '1.0')SQL";

inline constexpr const char* kDropHistory = "DROP TABLE IF EXISTS evidence.schema_version_history";

/// The store's version row, and whether a table of the step exists.
inline constexpr const char* kStoreVersion = "SELECT version FROM evidence.schema_version";
inline constexpr const char* kTableExists = "SELECT to_regclass($1) IS NOT NULL";

}  // namespace stella_schema_expand::sql
