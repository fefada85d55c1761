-- The store's schema version: exactly one row. Every schema version keeps this table, so that
-- `stella` can tell which layout a database holds before it touches anything else.
CREATE TABLE evidence.schema_version (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version    text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO evidence.schema_version (version) VALUES ('1.0');
