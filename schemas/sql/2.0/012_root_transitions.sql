-- Chain of custody across generations: when a new generation is sealed, a transition records the
-- old global root and the new one, and a cross-reference maps every old tenant and bundle root to
-- its new root. verify-continuity checks these against the data.
CREATE TABLE evidence.root_transitions (
  transition_id   bigserial PRIMARY KEY,
  from_generation integer NOT NULL REFERENCES evidence.digest_generations (generation),
  to_generation   integer NOT NULL REFERENCES evidence.digest_generations (generation),
  old_global_root text NOT NULL,
  new_global_root text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  recorded_by     text NOT NULL,
  -- The audit event (stella.audit_events.id) of kind root_hash_change recording this transition.
  audit_event_id  bigint,
  UNIQUE (from_generation, to_generation),
  CHECK (from_generation <> to_generation)
);

CREATE TABLE evidence.root_cross_references (
  transition_id bigint NOT NULL REFERENCES evidence.root_transitions (transition_id),
  scope         text NOT NULL CHECK (scope IN ('tenant', 'bundle')),
  scope_id      text COLLATE "C" NOT NULL,
  old_root      text NOT NULL,
  new_root      text NOT NULL,
  PRIMARY KEY (transition_id, scope, scope_id)
);
