-- Sample attestor records: every bundle of a schema 1.0 store, as the attestor logged it.
INSERT INTO attestor.entries (tenant_id, bundle_id, kind, status, subject, created_at, sealed_at,
                              bundle_root, envelope, artifacts, logged_at)
SELECT b.tenant_id, b.bundle_id, b.kind, b.status, b.subject, b.created_at, b.sealed_at,
       b.bundle_root, b.attestation,
       coalesce((SELECT jsonb_agg(jsonb_build_object(
                          'path', a.path, 'mediaType', a.media_type, 'digest', a.digest,
                          'content', translate(encode(a.content, 'base64'), E'\n', ''))
                        ORDER BY a.path)
                 FROM evidence.artifacts a WHERE a.bundle_id = b.bundle_id), '[]'::jsonb),
       b.sealed_at
FROM evidence.bundles b;

INSERT INTO attestor.signing_keys (key_id, algorithm, public_key_pem)
SELECT key_id, algorithm, public_key_pem FROM evidence.signing_keys;
