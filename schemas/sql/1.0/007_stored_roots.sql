-- Stored Merkle roots: what verify-all recomputes and compares, and what roots-export publishes.
-- Schema 1.0 knows one algorithm (sha256) and one generation of digests.
CREATE TABLE evidence.tenant_roots (
  tenant_id      text COLLATE "C" PRIMARY KEY REFERENCES evidence.tenants (tenant_id),
  root           text NOT NULL CHECK (root ~ '^sha256:[0-9a-f]{64}$'),
  bundle_count   bigint NOT NULL CHECK (bundle_count >= 0),
  artifact_count bigint NOT NULL CHECK (artifact_count >= 0),
  computed_at    timestamptz NOT NULL
);

-- The global root over every tenant root: exactly one row.
CREATE TABLE evidence.store_root (
  singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  root           text NOT NULL CHECK (root ~ '^sha256:[0-9a-f]{64}$'),
  algorithm      text NOT NULL DEFAULT 'sha256' CHECK (algorithm = 'sha256'),
  tenant_count   bigint NOT NULL CHECK (tenant_count >= 0),
  bundle_count   bigint NOT NULL CHECK (bundle_count >= 0),
  artifact_count bigint NOT NULL CHECK (artifact_count >= 0),
  computed_at    timestamptz NOT NULL
);

-- An empty store commits to the empty tree: SHA-256 of no bytes (RFC 9162 §2.1.1).
INSERT INTO evidence.store_root (root, tenant_count, bundle_count, artifact_count, computed_at)
VALUES ('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0, 0, 0, now());
