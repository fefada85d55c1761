-- Sample attestor records: every bundle of a schema 2.0 store, as the attestor logged it (with
-- the sha256 digests and roots of generation 1, which the attestor knows).
INSERT INTO attestor.entries (tenant_id, bundle_id, kind, status, subject, created_at, sealed_at,
                              bundle_root, envelope, artifacts, logged_at)
SELECT b.tenant_id, b.bundle_id, b.kind, b.status, b.subject, b.created_at, b.sealed_at,
       r.root, at.envelope,
       coalesce((SELECT jsonb_agg(jsonb_build_object(
                          'path', a.path, 'mediaType', a.media_type, 'digest', d.digest,
                          'content', translate(encode(c.content, 'base64'), E'\n', ''))
                        ORDER BY a.path)
                 FROM evidence.artifacts a
                 JOIN evidence.contents c ON c.content_address = a.content_address
                 JOIN evidence.artifact_digests d
                   ON d.bundle_id = a.bundle_id AND d.path = a.path AND d.generation = 1
                 WHERE a.bundle_id = b.bundle_id), '[]'::jsonb),
       b.sealed_at
FROM evidence.bundles b
JOIN evidence.bundle_roots r ON r.bundle_id = b.bundle_id AND r.generation = 1
LEFT JOIN evidence.attestations at ON at.bundle_id = b.bundle_id AND at.ordinal = 1;

INSERT INTO attestor.signing_keys (key_id, algorithm, public_key_pem)
SELECT key_id, algorithm, public_key_pem FROM evidence.signing_keys;
