-- Digest generations: each generation is one hash algorithm applied to every artifact, with its own
-- bundle, tenant and global roots. Generation 1 is what schema 1.0 held (sha256). A reindex adds a
-- new generation beside the old ones; evidence and old digests are never rewritten.
CREATE TABLE evidence.digest_generations (
  generation  integer PRIMARY KEY CHECK (generation >= 1),
  algorithm   text NOT NULL CHECK (algorithm ~ '^[a-z0-9][a-z0-9-]*$'),
  -- building: digests are being written (roots not sealed yet); sealed: every record is covered
  -- and the roots are final; retired: kept for proofs, no longer active.
  state       text NOT NULL CHECK (state IN ('building', 'sealed', 'retired')),
  -- The generation roots-export and verify-all use by default. Exactly one generation is active.
  active      boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sealed_at   timestamptz,
  CHECK (NOT active OR state = 'sealed'),
  CHECK ((state = 'building') = (sealed_at IS NULL))
);

CREATE UNIQUE INDEX digest_generations_one_active ON evidence.digest_generations (active)
  WHERE active;
