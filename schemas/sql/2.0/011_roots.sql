-- Stored Merkle roots, one set per digest generation (docs/merkle.md): what verify-all recomputes
-- and compares, and what roots-export publishes. Strings carry their algorithm ("sha512:<hex>").
CREATE TABLE evidence.bundle_roots (
  bundle_id  text COLLATE "C" NOT NULL REFERENCES evidence.bundles (bundle_id),
  generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  root       text NOT NULL CHECK (root ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  PRIMARY KEY (generation, bundle_id)
);

CREATE TABLE evidence.tenant_roots (
  tenant_id      text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  generation     integer NOT NULL REFERENCES evidence.digest_generations (generation),
  root           text NOT NULL CHECK (root ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  bundle_count   bigint NOT NULL CHECK (bundle_count >= 0),
  artifact_count bigint NOT NULL CHECK (artifact_count >= 0),
  computed_at    timestamptz NOT NULL,
  PRIMARY KEY (generation, tenant_id)
);

CREATE TABLE evidence.global_roots (
  generation     integer PRIMARY KEY REFERENCES evidence.digest_generations (generation),
  root           text NOT NULL CHECK (root ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  tenant_count   bigint NOT NULL CHECK (tenant_count >= 0),
  bundle_count   bigint NOT NULL CHECK (bundle_count >= 0),
  artifact_count bigint NOT NULL CHECK (artifact_count >= 0),
  computed_at    timestamptz NOT NULL
);
