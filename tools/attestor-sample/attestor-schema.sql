-- The attestor's records as `stella evidence reconcile --source attestor` reads them
-- (docs/reconcile.md). One row per sealed bundle the attestor logged, with its artifacts (path,
-- media type, digest, bytes in base64) and its DSSE envelope; the keys that signed the envelopes.
CREATE SCHEMA attestor;

CREATE TABLE attestor.entries (
  entry_id    bigserial PRIMARY KEY,
  tenant_id   text NOT NULL,
  bundle_id   text NOT NULL UNIQUE,
  kind        text NOT NULL,
  status      text NOT NULL DEFAULT 'sealed',
  subject     text NOT NULL,
  created_at  timestamptz NOT NULL,
  sealed_at   timestamptz NOT NULL,
  -- "sha256:<hex>": the Merkle root over the artifacts (docs/merkle.md).
  bundle_root text NOT NULL,
  -- The DSSE envelope the bundle was sealed with; NULL when it had none.
  envelope    jsonb,
  -- [{"path": ..., "mediaType": ..., "digest": "sha256:<hex>", "content": "<base64>"}, ...]
  artifacts   jsonb NOT NULL,
  logged_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE attestor.signing_keys (
  key_id         text PRIMARY KEY,
  algorithm      text NOT NULL,
  public_key_pem text NOT NULL
);
