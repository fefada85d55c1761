-- State schema, file 001: the audit trail and the store's settings, in the tool's own schema
-- "stella" (created, with stella.state_migrations, by ensure_state_schema before this file runs).
-- docs/audit-trail.md describes every table, the hash recipe an auditor recomputes, retention and
-- pruning.

-- The chain head: exactly one row. Every appender locks it (SELECT ... FOR UPDATE) before it
-- chains a new event, so concurrent sessions append one after the other and ids stay gapless.
-- It also lets `audit verify` notice events deleted from the end of the chain.
CREATE TABLE stella.audit_chain_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id bigint NOT NULL CHECK (last_id >= 0),
  last_hash text NOT NULL CHECK (last_hash ~ '^sha256:[0-9a-f]{64}$')
);
INSERT INTO stella.audit_chain_head (last_id, last_hash)
VALUES (0, 'sha256:0000000000000000000000000000000000000000000000000000000000000000');

-- The events. Ids are assigned from the chain head (not a sequence): a sequence leaves gaps when
-- a transaction rolls back, and a gap must mean "an event was removed".
CREATE TABLE stella.audit_events (
  id bigint PRIMARY KEY CHECK (id > 0),
  occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  event_type text NOT NULL CHECK (event_type ~ '^[a-z][a-z0-9_]*$'),
  operator text NOT NULL CHECK (operator <> ''),
  data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  retention text NOT NULL CHECK (retention IN ('permanent', '7y')),
  prev_hash text NOT NULL CHECK (prev_hash ~ '^sha256:[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^sha256:[0-9a-f]{64}$')
);
CREATE INDEX audit_events_occurred_at ON stella.audit_events (occurred_at);
CREATE INDEX audit_events_type_occurred_at ON stella.audit_events (event_type, occurred_at);

-- Tombstones of pruned events: what the chain needs to stay verifiable once an event's content is
-- gone (its hash, and the hash it chained to).
CREATE TABLE stella.audit_pruned (
  id bigint PRIMARY KEY CHECK (id > 0),
  event_type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  retention text NOT NULL,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^sha256:[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^sha256:[0-9a-f]{64}$'),
  pruned_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  pruned_by text NOT NULL CHECK (pruned_by <> '')
);

-- Append-only: events are never updated, and deleted only by `audit prune`, which sets
-- stella.audit_prune for its own transaction. Tombstones are never updated or deleted. A database
-- owner can still disable these triggers; `audit verify` is what proves nothing was changed.
CREATE FUNCTION stella.audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_events'
     AND current_setting('stella.audit_prune', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'stella.% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING HINT = 'audit events are removed only by `stella evidence audit prune`';
END
$fn$;

CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON stella.audit_events
  FOR EACH ROW EXECUTE FUNCTION stella.audit_refuse_change();
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON stella.audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION stella.audit_refuse_change();
CREATE TRIGGER audit_pruned_append_only
  BEFORE UPDATE OR DELETE ON stella.audit_pruned
  FOR EACH ROW EXECUTE FUNCTION stella.audit_refuse_change();
CREATE TRIGGER audit_pruned_no_truncate
  BEFORE TRUNCATE ON stella.audit_pruned
  FOR EACH STATEMENT EXECUTE FUNCTION stella.audit_refuse_change();

-- Store settings (for example the active hash algorithm), one row per key. Changes are recorded
-- in the audit trail by the verbs that make them (event type config_change).
CREATE TABLE stella.config (
  key text PRIMARY KEY CHECK (key <> ''),
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_by text NOT NULL CHECK (updated_by <> '')
);
