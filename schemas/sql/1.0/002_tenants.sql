-- A tenant owns bundles; its id is a leaf identity in the global Merkle tree.
CREATE TABLE evidence.tenants (
  tenant_id    text COLLATE "C" PRIMARY KEY
               CHECK (tenant_id ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
  display_name text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
