-- Public keys of the keys that signed bundle attestations. A DSSE signature names its key by
-- key_id ("keyid" in the envelope); verify-all checks every signature against the key stored here.
CREATE TABLE evidence.signing_keys (
  key_id         text COLLATE "C" PRIMARY KEY,
  algorithm      text NOT NULL CHECK (algorithm IN ('ed25519')),
  public_key_pem text NOT NULL CHECK (public_key_pem LIKE '-----BEGIN PUBLIC KEY-----%'),
  created_at     timestamptz NOT NULL DEFAULT now()
);
