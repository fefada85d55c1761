-- A sealed evidence bundle. In 2.0 its roots live in evidence.bundle_roots (one per generation)
-- and its attestations in evidence.attestations.
CREATE TABLE evidence.bundles (
  bundle_id   text COLLATE "C" PRIMARY KEY
              CHECK (bundle_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
  tenant_id   text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  kind        text NOT NULL CHECK (kind IN ('evaluation', 'job', 'export')),
  status      text NOT NULL DEFAULT 'sealed' CHECK (status IN ('sealed', 'superseded')),
  subject     text NOT NULL,
  created_at  timestamptz NOT NULL,
  sealed_at   timestamptz NOT NULL,
  CHECK (sealed_at >= created_at)
);

CREATE INDEX bundles_merkle_order ON evidence.bundles (tenant_id, sealed_at, bundle_id);
CREATE INDEX bundles_by_created ON evidence.bundles (created_at);
