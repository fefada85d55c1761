-- The store's schema version: exactly one row, the same table in every version.
CREATE TABLE evidence.schema_version (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version    text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO evidence.schema_version (version) VALUES ('2.0');

-- The versions a migrated store went through, each with the time it was applied and the time the
-- next version replaced it. A rollback takes the row back out, so the version row it restores is
-- exactly the one the store had (its applied_at included). Empty in a store created at 2.0.
CREATE TABLE evidence.schema_version_history (
  version       text COLLATE "C" PRIMARY KEY,
  applied_at    timestamptz NOT NULL,
  superseded_at timestamptz NOT NULL
);
