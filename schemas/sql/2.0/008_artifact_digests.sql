-- The digest of each artifact in each generation: "<algorithm>:<hex>" of the content's bytes with
-- the generation's algorithm. Generation 1 digests are the 1.0 digests, unchanged.
CREATE TABLE evidence.artifact_digests (
  bundle_id  text COLLATE "C" NOT NULL,
  path       text COLLATE "C" NOT NULL,
  generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  digest     text NOT NULL CHECK (digest ~ '^[a-z0-9-]+:[0-9a-f]+$'),
  PRIMARY KEY (generation, bundle_id, path),
  FOREIGN KEY (bundle_id, path) REFERENCES evidence.artifacts (bundle_id, path)
) PARTITION BY LIST (generation);

CREATE INDEX artifact_digests_by_artifact ON evidence.artifact_digests (bundle_id, path);

-- Generations that are migrated, loaded or imported live in the default partition. A reindex
-- fills its new generation's digests into a table of its own (evidence.artifact_digests_g<N>)
-- without keys, then builds the keys and checks the references in bulk and attaches that table as
-- the generation's partition when it seals it (docs/reindex.md).
CREATE TABLE evidence.artifact_digests_default PARTITION OF evidence.artifact_digests DEFAULT;
