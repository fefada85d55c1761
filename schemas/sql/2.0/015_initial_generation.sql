-- A new 2.0 store starts with generation 1 (sha256), sealed and active, over no evidence: its
-- global root is the empty-tree root H("").
INSERT INTO evidence.digest_generations (generation, algorithm, state, active, sealed_at)
VALUES (1, 'sha256', 'sealed', true, now());

INSERT INTO evidence.global_roots
  (generation, root, tenant_count, bundle_count, artifact_count, computed_at)
VALUES (1, 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0, 0, 0, now());
