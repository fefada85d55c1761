-- Content-addressed storage: each distinct byte string is stored once, addressed by its SHA-256
-- ("sha256:<hex>"), whatever digest generations exist. Identical artifacts in many bundles (the
-- same SBOM of a base image, say) share one row.
CREATE TABLE evidence.contents (
  content_address text COLLATE "C" PRIMARY KEY CHECK (content_address ~ '^sha256:[0-9a-f]{64}$'),
  size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
  content         bytea NOT NULL
);
