-- DSSE attestations in their own table (1.0 kept one inline on the bundle row). A bundle may have
-- several; ordinal 1 is the one migrated from 1.0.
CREATE TABLE evidence.attestations (
  bundle_id    text COLLATE "C" NOT NULL REFERENCES evidence.bundles (bundle_id),
  ordinal      integer NOT NULL CHECK (ordinal >= 1),
  tenant_id    text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  payload_type text NOT NULL,
  key_id       text COLLATE "C" REFERENCES evidence.signing_keys (key_id),
  envelope     jsonb NOT NULL,
  PRIMARY KEY (bundle_id, ordinal)
);
