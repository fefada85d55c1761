-- A sealed evidence bundle. In 1.0 its DSSE attestation is stored inline on the bundle row
-- (schema 2.0 moves attestations to their own table).
CREATE TABLE evidence.bundles (
  bundle_id   text COLLATE "C" PRIMARY KEY
              CHECK (bundle_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
  tenant_id   text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  kind        text NOT NULL CHECK (kind IN ('evaluation', 'job', 'export')),
  -- Superseded bundles stay evidence: they are kept, sealed, and covered by the roots.
  status      text NOT NULL DEFAULT 'sealed' CHECK (status IN ('sealed', 'superseded')),
  -- What the evidence is about (an image reference, a repository, a release).
  subject     text NOT NULL,
  created_at  timestamptz NOT NULL,
  sealed_at   timestamptz NOT NULL,
  -- Merkle root over the bundle's artifacts (docs/merkle.md), "sha256:<hex>".
  bundle_root text NOT NULL CHECK (bundle_root ~ '^sha256:[0-9a-f]{64}$'),
  -- The DSSE envelope (payloadType, payload, signatures) whose in-toto Statement names every
  -- artifact of the bundle; NULL for a bundle that was sealed without an attestation.
  attestation jsonb,
  CHECK (sealed_at >= created_at)
);

-- Merkle order of bundles inside a tenant: the streaming queries of roots and verify-all walk it.
CREATE INDEX bundles_merkle_order ON evidence.bundles (tenant_id, sealed_at, bundle_id);
