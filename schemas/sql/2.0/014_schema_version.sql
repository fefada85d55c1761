-- The store's schema version: exactly one row, the same table in every version.
CREATE TABLE evidence.schema_version (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version    text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO evidence.schema_version (version) VALUES ('2.0');
