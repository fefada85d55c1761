-- One file of a bundle, by canonical path. Its bytes are in evidence.contents; its digests (one
-- per generation) in evidence.artifact_digests. tenant_id is carried for row-level security and
-- for partitioning by tenant; it always equals the bundle's tenant.
CREATE TABLE evidence.artifacts (
  bundle_id       text COLLATE "C" NOT NULL REFERENCES evidence.bundles (bundle_id),
  path            text COLLATE "C" NOT NULL
                  CHECK (path ~ '^[^/\\]+(/[^/\\]+)*$' AND path !~ '(^|/)\.\.?(/|$)'),
  tenant_id       text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  media_type      text NOT NULL,
  size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
  content_address text COLLATE "C" NOT NULL REFERENCES evidence.contents (content_address),
  PRIMARY KEY (bundle_id, path)
);

CREATE INDEX artifacts_by_content ON evidence.artifacts (content_address);
CREATE INDEX artifacts_by_tenant ON evidence.artifacts (tenant_id);
