-- The evidence itself: one file of a bundle, by canonical path, with its bytes and digest.
CREATE TABLE evidence.artifacts (
  bundle_id  text COLLATE "C" NOT NULL REFERENCES evidence.bundles (bundle_id),
  -- Canonical path: relative, '/'-separated, no empty, '.' or '..' segment, no backslash.
  path       text COLLATE "C" NOT NULL
             CHECK (path ~ '^[^/\\]+(/[^/\\]+)*$' AND path !~ '(^|/)\.\.?(/|$)'),
  media_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  digest     text NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
  content    bytea NOT NULL,
  -- Also the Merkle order of artifacts inside a bundle (path, bytewise).
  PRIMARY KEY (bundle_id, path)
);
