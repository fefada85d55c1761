-- The hand-written SQL migration of a 1.0 store to 2.0 that tools/bench/migrate_bench.sh times beside
-- `stella evidence migrate`: the same data work (contents addressed by the SHA-256 of their bytes and
-- stored once, generation-1 digests and roots, attestations moved out of the bundles, the 1.0 tables
-- and columns dropped, row-level security) as one transaction of whole-table statements, the way a
-- DBA would write it by hand: no plan, no batches, no checkpoints, no resume, no verification, no
-- rollback beyond the transaction, no audit trail. Run with: psql -v ON_ERROR_STOP=1 -f this-file.
BEGIN;

CREATE TABLE evidence.schema_version_history (
  version text COLLATE "C" PRIMARY KEY, applied_at timestamptz NOT NULL,
  superseded_at timestamptz NOT NULL);
CREATE TABLE evidence.digest_generations (
  generation integer PRIMARY KEY CHECK (generation >= 1),
  algorithm text NOT NULL CHECK (algorithm ~ '^[a-z0-9][a-z0-9-]*$'),
  state text NOT NULL CHECK (state IN ('building', 'sealed', 'retired')),
  active boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL DEFAULT now(),
  sealed_at timestamptz, CHECK (NOT active OR state = 'sealed'),
  CHECK ((state = 'building') = (sealed_at IS NULL)));
CREATE UNIQUE INDEX digest_generations_one_active ON evidence.digest_generations (active) WHERE active;
INSERT INTO evidence.digest_generations (generation, algorithm, state, active, sealed_at)
VALUES (1, 'sha256', 'sealed', true, now());

CREATE TABLE evidence.contents (
  content_address text COLLATE "C" PRIMARY KEY CHECK (content_address ~ '^sha256:[0-9a-f]{64}$'),
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0), content bytea NOT NULL);
INSERT INTO evidence.contents (content_address, size_bytes, content)
SELECT DISTINCT ON (address) address, octet_length(content), content
FROM (SELECT 'sha256:' || encode(sha256(content), 'hex') AS address, content
      FROM evidence.artifacts) AS hashed
ORDER BY address;

CREATE TABLE evidence.artifacts_new (
  bundle_id text COLLATE "C" NOT NULL REFERENCES evidence.bundles (bundle_id),
  path text COLLATE "C" NOT NULL
       CHECK (path ~ '^[^/\\]+(/[^/\\]+)*$' AND path !~ '(^|/)\.\.?(/|$)'),
  tenant_id text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  media_type text NOT NULL, size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  content_address text COLLATE "C" NOT NULL REFERENCES evidence.contents (content_address),
  PRIMARY KEY (bundle_id, path));
INSERT INTO evidence.artifacts_new (bundle_id, path, tenant_id, media_type, size_bytes, content_address)
SELECT a.bundle_id, a.path, b.tenant_id, a.media_type, a.size_bytes,
       'sha256:' || encode(sha256(a.content), 'hex')
FROM evidence.artifacts a JOIN evidence.bundles b ON b.bundle_id = a.bundle_id;

CREATE TABLE evidence.artifact_digests (
  bundle_id text COLLATE "C" NOT NULL, path text COLLATE "C" NOT NULL,
  generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  digest text NOT NULL CHECK (digest ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  PRIMARY KEY (generation, bundle_id, path),
  FOREIGN KEY (bundle_id, path) REFERENCES evidence.artifacts_new (bundle_id, path));
INSERT INTO evidence.artifact_digests (bundle_id, path, generation, digest)
SELECT bundle_id, path, 1, digest FROM evidence.artifacts;
CREATE INDEX artifact_digests_by_artifact ON evidence.artifact_digests (bundle_id, path);

CREATE TABLE evidence.attestations (
  bundle_id text COLLATE "C" NOT NULL REFERENCES evidence.bundles (bundle_id),
  ordinal integer NOT NULL CHECK (ordinal >= 1),
  tenant_id text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  payload_type text NOT NULL, key_id text COLLATE "C" REFERENCES evidence.signing_keys (key_id),
  envelope jsonb NOT NULL, PRIMARY KEY (bundle_id, ordinal));
INSERT INTO evidence.attestations (bundle_id, ordinal, tenant_id, payload_type, key_id, envelope)
SELECT b.bundle_id, 1, b.tenant_id, b.attestation ->> 'payloadType', k.key_id, b.attestation
FROM evidence.bundles b
LEFT JOIN evidence.signing_keys k ON k.key_id = b.attestation -> 'signatures' -> 0 ->> 'keyid'
WHERE b.attestation IS NOT NULL;

CREATE TABLE evidence.bundle_roots (
  bundle_id text COLLATE "C" NOT NULL REFERENCES evidence.bundles (bundle_id),
  generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  root text NOT NULL CHECK (root ~ '^[a-z0-9-]+:[0-9a-f]+$'), PRIMARY KEY (generation, bundle_id));
INSERT INTO evidence.bundle_roots (bundle_id, generation, root)
SELECT bundle_id, 1, bundle_root FROM evidence.bundles;

CREATE TABLE evidence.tenant_roots_new (
  tenant_id text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  root text NOT NULL CHECK (root ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  bundle_count bigint NOT NULL CHECK (bundle_count >= 0),
  artifact_count bigint NOT NULL CHECK (artifact_count >= 0),
  computed_at timestamptz NOT NULL, PRIMARY KEY (generation, tenant_id));
INSERT INTO evidence.tenant_roots_new
SELECT tenant_id, 1, root, bundle_count, artifact_count, computed_at FROM evidence.tenant_roots;

CREATE TABLE evidence.global_roots (
  generation integer PRIMARY KEY REFERENCES evidence.digest_generations (generation),
  root text NOT NULL CHECK (root ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  tenant_count bigint NOT NULL CHECK (tenant_count >= 0),
  bundle_count bigint NOT NULL CHECK (bundle_count >= 0),
  artifact_count bigint NOT NULL CHECK (artifact_count >= 0), computed_at timestamptz NOT NULL);
INSERT INTO evidence.global_roots
SELECT 1, root, tenant_count, bundle_count, artifact_count, computed_at FROM evidence.store_root;

CREATE TABLE evidence.root_transitions (
  transition_id bigserial PRIMARY KEY,
  from_generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  to_generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  old_global_root text NOT NULL, new_global_root text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(), recorded_by text NOT NULL, audit_event_id bigint,
  UNIQUE (from_generation, to_generation), CHECK (from_generation <> to_generation));
CREATE TABLE evidence.root_cross_references (
  transition_id bigint NOT NULL REFERENCES evidence.root_transitions (transition_id),
  scope text NOT NULL CHECK (scope IN ('tenant', 'bundle')), scope_id text COLLATE "C" NOT NULL,
  old_root text NOT NULL, new_root text NOT NULL, PRIMARY KEY (transition_id, scope, scope_id));

DROP TABLE evidence.artifacts;
ALTER TABLE evidence.artifacts_new RENAME TO artifacts;
CREATE INDEX artifacts_by_content ON evidence.artifacts (content_address);
CREATE INDEX artifacts_by_tenant ON evidence.artifacts (tenant_id);
ALTER TABLE evidence.bundles DROP COLUMN bundle_root, DROP COLUMN attestation;
CREATE INDEX bundles_by_created ON evidence.bundles (created_at);
DROP TABLE evidence.tenant_roots;
ALTER TABLE evidence.tenant_roots_new RENAME TO tenant_roots;
DROP TABLE evidence.store_root;

ALTER TABLE evidence.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence.bundles ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence.artifacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence.attestations ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence.tenant_roots ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON evidence.tenants USING (tenant_id = current_setting('stella.tenant', true));
CREATE POLICY tenant_isolation ON evidence.bundles USING (tenant_id = current_setting('stella.tenant', true));
CREATE POLICY tenant_isolation ON evidence.artifacts USING (tenant_id = current_setting('stella.tenant', true));
CREATE POLICY tenant_isolation ON evidence.attestations USING (tenant_id = current_setting('stella.tenant', true));
CREATE POLICY tenant_isolation ON evidence.tenant_roots USING (tenant_id = current_setting('stella.tenant', true));

INSERT INTO evidence.schema_version_history (version, applied_at, superseded_at)
SELECT version, applied_at, now() FROM evidence.schema_version;
UPDATE evidence.schema_version SET version = '2.0', applied_at = now();

COMMIT;
